// Starts the GOV.UK Frontend components (supported.js, run first in <body>, has marked the page as scripted).
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();
