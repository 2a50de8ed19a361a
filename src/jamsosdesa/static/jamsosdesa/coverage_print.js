// The A4 report's "Cetak" button (no inline script: the site's Content-Security-Policy allows only its own files).
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-print]");
  if (button) button.addEventListener("click", () => window.print());
});
