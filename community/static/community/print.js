// The "Vytisknout" button of an attendance sheet: shown only when scripts run, it opens
// the browser's print dialog (the sheet's layout for A4 is in spojka.css, @media print).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
