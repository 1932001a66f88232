// The dashboard's styles, added to the document once (the views render into the light DOM, so
// the app's theme variables apply).
const css = `
.an-page .an-status { font-size: 0.85rem; color: var(--app-muted); }
.an-page .an-status.an-live { color: var(--app-success); }
.an-toolbar { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin-bottom: 1rem; }
.an-tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: 0.75rem; margin-bottom: 1rem; }
.an-tile { background: var(--app-surface); border: 1px solid var(--app-border); border-radius: var(--app-radius); padding: 0.75rem; display: flex; flex-direction: column; }
.an-tile-value { font-size: 1.6rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.an-tile-label { font-size: 0.8rem; color: var(--app-muted); }
.an-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 0.75rem; margin-bottom: 1rem; }
.an-figure { margin: 0; }
.an-figure figcaption { font-weight: 600; margin-bottom: 0.25rem; }
.an-chart { width: 100%; height: auto; display: block; }
.an-chart .an-grid { stroke: var(--app-border); stroke-width: 1; }
.an-chart .an-axis { fill: var(--app-muted); font-size: 11px; }
.an-chart .an-bar { fill: var(--app-primary); opacity: 0.85; }
.an-chart .an-line { fill: none; stroke: var(--app-primary); stroke-width: 2; vector-effect: non-scaling-stroke; }
.an-chart .an-dot { fill: var(--app-primary); }
.an-chart .an-anomaly { fill: none; stroke: var(--app-danger); stroke-width: 2.5; }
.an-panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 0.75rem; }
.an-panels h2 { font-size: 1.05rem; margin: 0 0 0.5rem; display: flex; gap: 0.4rem; align-items: baseline; flex-wrap: wrap; }
.an-score { font-size: 1.8rem; font-weight: 700; }
.an-score.an-good { color: var(--app-success); }
.an-score.an-fair { color: var(--app-warning); }
.an-score.an-poor { color: var(--app-danger); }
.an-factors { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.4rem; }
.an-factors li { display: grid; grid-template-columns: 6rem 1fr 3.5rem; gap: 0.4rem; align-items: center; }
.an-factors .an-factor-detail { grid-column: 1 / -1; }
.an-panels meter { width: 100%; }
.an-settings { margin-top: 0.75rem; }
.an-settings-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 0.5rem 0.75rem; align-items: end; }
.an-settings-grid input { width: 100%; display: block; box-sizing: border-box; }
.an-settings-actions { display: flex; gap: 0.5rem; align-items: center; }
.an-roi-figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(7rem, 1fr)); gap: 0.5rem; margin: 0 0 0.5rem; }
.an-roi-figures dt { font-size: 0.8rem; color: var(--app-muted); }
.an-roi-figures dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
`;

if (typeof document !== 'undefined' && !document.getElementById('weft-analytics-styles')) {
  const style = document.createElement('style');
  style.id = 'weft-analytics-styles';
  style.textContent = css;
  document.head.append(style);
}
