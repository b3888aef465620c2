// Number the children 1, 2, 3 on the officer's form as they are added and removed.
function renumberChildren() {
  document.querySelectorAll("#children-group .inline-related:not(.empty-form) .app-child-number")
    .forEach(function (label, index) { label.textContent = index + 1; });
}
document.addEventListener("formset:added", renumberChildren);
document.addEventListener("formset:removed", renumberChildren);
