import { serviceUrl } from '@weft/testing';
import { describeFuzz } from '../testing/fuzz-suite.js';
import { sqliteAndPostgres } from '../testing/host-backends.js';

// SQLite only: the other backend's suite is its own file, so the two run in parallel.
describeFuzz(sqliteAndPostgres(await serviceUrl('pg'))[0]!);
