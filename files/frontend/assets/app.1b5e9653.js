// StartTech demo frontend: a single-page application shell. Any path is answered with
// index.html (CloudFront's 403/404 error responses), and the script shows the route.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const status = document.getElementById("status");
  status.textContent = `Route ${window.location.pathname} served by the StartTech frontend.`;
});
