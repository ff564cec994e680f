// Starts the self-hosted Swagger UI (served from /schema/assets, no CDN). An external file, not an inline
// script, so the page's Content-Security-Policy can allow scripts from this origin only.
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  var url = root.getAttribute("data-openapi-url");
  // Swagger UI fetches every openIdConnect scheme's discovery document as the page loads. This page may
  // connect to this gateway only (its CSP), and the identity provider sends no CORS headers, so the fetch
  // could only fail. Shown instead: the scheme as the bearer JWT it yields, with its discovery URL in words.
  // The contract itself (/schema/openapi.json) is unchanged.
  function forDisplay(contract) {
    var schemes = (contract.components || {}).securitySchemes || {};
    Object.keys(schemes).forEach(function (name) {
      var scheme = schemes[name];
      if (scheme.type === "openIdConnect") {
        schemes[name] = {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: scheme.description + ". Discovery: " + scheme.openIdConnectUrl,
        };
      }
    });
    return contract;
  }
  fetch(url, { credentials: "same-origin" })
    .then(function (response) {
      return response.json();
    })
    .then(function (contract) {
      window.SwaggerUIBundle({
        spec: forDisplay(contract),
        domNode: root,
        deepLinking: true,
        // No validator badge: it would send the contract to an outside validator service.
        validatorUrl: null,
      });
    });
})();
