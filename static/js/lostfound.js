/* Lost and found: the claimant's signature drawn on a canvas (signature_pad), posted as a PNG data URL.
   Without JavaScript the form still works with "signed on paper". */
(function () {
  "use strict";
  var canvas = document.getElementById("signature-canvas");
  if (!canvas || typeof window.SignaturePad === "undefined") return;
  var form = canvas.closest("form");
  var hidden = form.querySelector("input[name=signature_data]");
  var paper = form.querySelector("input[name=signed_on_paper]");
  var pad = new window.SignaturePad(canvas, { backgroundColor: "rgb(255,255,255)" });

  function resize() {
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    var data = pad.isEmpty() ? null : pad.toData();
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    if (data) pad.fromData(data);
  }
  window.addEventListener("resize", resize);
  resize();

  pad.addEventListener("endStroke", function () {
    hidden.value = pad.toDataURL("image/png");
    if (paper) paper.checked = false;
  });
  document.getElementById("signature-clear").addEventListener("click", function () {
    pad.clear();
    hidden.value = "";
  });
  form.addEventListener("submit", function () {
    hidden.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
  });
})();
