// Region picker: put the chosen code into the target field, show its full name, clear the list.
function jdPick(button, target, submit) {
  var field = document.getElementById(target);
  field.value = button.dataset.code;
  var label = document.getElementById(target + "-label");
  if (label) { label.textContent = button.dataset.label; }
  document.getElementById(target + "-results").innerHTML = "";
  if (submit && field.form) { field.form.requestSubmit(); }
}
