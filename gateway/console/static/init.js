// Marks the page as scripted (what GOV.UK Frontend's inline snippet does; inline script is refused by our
// Content-Security-Policy) and starts the GOV.UK Frontend components.
import { initAll } from "./govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
