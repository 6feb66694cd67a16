// The caller pop-up (issue 21): Alt+I opens the intake of the call ringing now (the pop-up's own key).
document.addEventListener("keydown", function (event) {
  if (!event.altKey || event.code !== "KeyI") return;
  var link = document.getElementById("ringing-intake");
  if (link) {
    event.preventDefault();
    link.click();
  }
});
