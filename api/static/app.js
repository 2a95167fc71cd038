// Start the GOV.UK Frontend components on every page (a module: no inline script needed).
import { initAll } from "/static/vendor/govuk-frontend/govuk-frontend.min.js";

initAll();
