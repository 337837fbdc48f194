// The verification page's progress: polls the status of the verification and updates the progress bar and its
// live region; reloads the page when it finishes, to show the result. Without this script the page refreshes itself.
"use strict";
(function () {
  const box = document.querySelector("[data-status-url]");
  if (!box) {
    return;
  }

  const bar = box.querySelector("progress");
  const text = box.querySelector("[role=status]");
  const format = new Intl.NumberFormat("en");
  async function poll() {
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" });
      if (!response.ok) {
        location.reload();
        return;
      }

      const status = await response.json();
      if (status.finished) {
        location.reload();
        return;
      }

      bar.max = Math.max(1, status.total);
      bar.value = status.checked;
      text.textContent = `${format.format(status.checked)} of ${format.format(status.total)} records (${status.percent}%)`;
    } catch {
      // A failed poll is tried again.
    }

    setTimeout(poll, 700);
  }

  setTimeout(poll, 300);
})();
