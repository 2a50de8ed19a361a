// An agent's receipt: the share button uses the phone's share sheet (Web Share API) where there is one; without it
// the button stays hidden and the WhatsApp link beside it does the job. No inline script (the CSP forbids it).
(function () {
  var button = document.querySelector("[data-share]");
  if (!button || !navigator.share) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.share({ title: document.title, text: button.dataset.shareText, url: window.location.href })
      .catch(function () { /* closed without sharing */ });
  });
})();
