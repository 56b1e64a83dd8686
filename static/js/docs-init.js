// Starts Swagger UI for /docs from a file, not an inline script, so the page keeps its strict CSP.
const root = document.getElementById("swagger-ui");
window.SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null, // the default badge calls validator.swagger.io: no outside hosts, works offline
  presets: [window.SwaggerUIBundle.presets.apis],
});
