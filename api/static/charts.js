// Draw every chart on the page with Chart.js (vendored from npm). Each <canvas data-chart="ID">
// names a <script type="application/json" id="ID"> holding a complete Chart.js configuration
// built by the server, so this file has no page-specific code and no inline script is needed.
for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
  const source = document.getElementById(canvas.dataset.chart);
  if (!source || typeof window.Chart === "undefined") continue;
  const config = JSON.parse(source.textContent);
  config.options = Object.assign({ animation: false, responsive: true }, config.options || {});
  canvas.chart = new window.Chart(canvas, config);
  canvas.dataset.drawn = "true";
}
