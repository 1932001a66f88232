import { type Branding, type Me, type Session, WeftClient, type Workspace } from '@weft/client';
import { localStore } from './local-store.js';

const SESSION_KEY = 'weft.session';
const WORKSPACE_KEY = 'weft.workspace';

function readSession(): Pick<Session, 'accessToken' | 'refreshToken'> | undefined {
  try {
    const raw = localStore().getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The signed-in state of the app: the API client (its session kept in localStorage so a reload
 * stays signed in), the user, their workspaces and the current one, and the host's branding.
 * Views listen for `change` to re-render.
 *
 * @example
 * ```ts
 * appState.addEventListener('change', () => this.requestUpdate());
 * const ws = appState.workspaceId;
 * ```
 */
export class AppState extends EventTarget {
  client: WeftClient;
  me: Me | undefined;
  branding: Branding = { name: 'Weft' };
  workspaceId: string | undefined;

  constructor(baseUrl: string) {
    super();
    const session = readSession();
    this.client = new WeftClient({
      baseUrl,
      ...(session ? { session } : {}),
      onSession: (s) => {
        if (s) localStore().setItem(SESSION_KEY, JSON.stringify(s));
        else {
          localStore().removeItem(SESSION_KEY);
          this.me = undefined;
          this.changed();
        }
      },
    });
    this.workspaceId = localStore().getItem(WORKSPACE_KEY) ?? undefined;
  }

  /**
   * Uses a bearer token handed over by an embedding page (an access token or API key) instead of
   * the stored session; nothing is persisted.
   */
  useBearer(token: string): void {
    this.client = new WeftClient({ baseUrl: this.client.transport.baseUrl, apiKey: token });
  }

  get workspace(): Workspace | undefined {
    return this.me?.workspaces.find((w) => w.id === this.workspaceId);
  }

  /** Loads the signed-in user; `false` when there is no valid session. */
  async loadMe(): Promise<boolean> {
    if (!this.client.signedIn) return false;
    try {
      this.me = await this.client.auth.me();
    } catch {
      return false;
    }
    if (!this.me.workspaces.some((w) => w.id === this.workspaceId)) this.selectWorkspace(this.me.workspaces[0]?.id);
    this.changed();
    return true;
  }

  selectWorkspace(id: string | undefined): void {
    this.workspaceId = id;
    if (id) localStore().setItem(WORKSPACE_KEY, id);
    else localStore().removeItem(WORKSPACE_KEY);
    this.changed();
  }

  async signOut(): Promise<void> {
    await this.client.auth.logout().catch(() => undefined);
    this.me = undefined;
    this.changed();
  }

  changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}

/** The app's one state object, talking to the host that served the page. */
export const appState = new AppState(location.origin);
