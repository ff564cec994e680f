// Runs first in <body>, before the page is parsed, as GOV.UK Frontend's own template does with its inline
// snippet (which our Content-Security-Policy refuses): the js-enabled and govuk-frontend-supported classes
// are on <body> before its content is laid out, so the page is styled once, not restyled whole when a
// deferred module script adds them after parsing (about 10 ms of a large page's load in Chromium).
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
