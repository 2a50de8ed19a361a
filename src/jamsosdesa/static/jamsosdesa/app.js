// Region picker: put the chosen code into the target field, show its full name, clear the list.
function jdPick(button, target, submit) {
  var field = document.getElementById(target);
  field.value = button.dataset.code;
  var label = document.getElementById(target + "-label");
  if (label) { label.textContent = button.dataset.label; }
  document.getElementById(target + "-results").innerHTML = "";
  if (submit && field.form) { field.form.requestSubmit(); }
}

// Refuse an oversized upload before sending it over a slow connection (the server checks again).
function jdCheckSize(input) {
  var file = input.files && input.files[0];
  var tooLarge = file && file.size > Number(input.dataset.maxBytes);
  document.getElementById(input.id + "-size").textContent = tooLarge ? input.dataset.tooLarge : "";
  input.setCustomValidity(tooLarge ? input.dataset.tooLarge : "");
}

// The phone menu: the button opens and closes the list of links it controls (Escape closes it too).
function jdToggleMenu(toggle, open) {
  var menu = document.getElementById(toggle.getAttribute("aria-controls"));
  if (open === undefined) { open = toggle.getAttribute("aria-expanded") !== "true"; }
  toggle.setAttribute("aria-expanded", String(open));
  menu.classList.toggle("open", open);
}

// No inline handlers (the Content-Security-Policy allows only scripts from this site): the markup says what
// to do in data- attributes, and these listeners do it, also for parts htmx swaps in later.
document.addEventListener("click", function (event) {
  var toggle = event.target.closest("[data-menu-toggle]");
  if (toggle) { jdToggleMenu(toggle); return; }
  var pick = event.target.closest("[data-pick-target]");
  if (pick) { jdPick(pick, pick.dataset.pickTarget, pick.dataset.pickSubmit === "true"); return; }
  if (event.target.closest("[data-print]")) { window.print(); }
});
document.addEventListener("keydown", function (event) {
  var toggle = document.querySelector("[data-menu-toggle][aria-expanded=true]");
  if (event.key === "Escape" && toggle) { jdToggleMenu(toggle, false); toggle.focus(); }
});
document.addEventListener("change", function (event) {
  if (event.target.matches("input[data-check-size]")) { jdCheckSize(event.target); }
});
