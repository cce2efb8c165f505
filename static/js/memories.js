// Adding memories with a progress bar: the form is sent by XHR so the bar can follow the upload. Without
// JavaScript (or if anything fails here) the form posts normally and the page works the same.
const form = document.querySelector("form[data-memories-upload]");

if (form && window.XMLHttpRequest && window.FormData) {
  const box = form.querySelector(".memories-progress");
  const bar = box && box.querySelector("progress");
  const text = box && box.querySelector(".memories-progress__text");
  let sending = false;

  form.addEventListener("submit", (event) => {
    const files = form.querySelector("input[type=file]");
    if (!box || !files || !files.files.length) return; // a note, or no file chosen: the normal post shows errors
    event.preventDefault();
    if (sending) return;
    sending = true;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("X-Hearth-Upload", "progress");
    box.hidden = false;
    const count = files.files.length;
    text.textContent = `Sending ${count} ${count === 1 ? "file" : "files"}…`;
    xhr.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      bar.value = percent;
      text.textContent = percent < 100 ? `${percent}% sent` : "Checking the files…";
    });
    xhr.addEventListener("load", () => {
      const type = xhr.getResponseHeader("Content-Type") || "";
      if (xhr.status === 200 && type.startsWith("application/json")) {
        window.location.assign(JSON.parse(xhr.responseText).location);
        return;
      }
      // A problem with the form: show the page the server sent, with its error summary.
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", () => {
      sending = false;
      text.textContent = "The upload did not finish. Check your connection and try again.";
    });
    xhr.send(new FormData(form));
  });
}
