import { $, post, str } from '../dom';

interface Uploaded {
  id: string;
  filename: string;
}

/** Attachments: each file goes to POST /files at once; the message carries the returned ids. */
export function initAttachments(form: HTMLFormElement): void {
  const input = $('[data-attach]', form) as HTMLInputElement | null;
  const list = $('[data-files]', form);
  const send = $('[data-send]', form) as HTMLButtonElement | null;
  if (!input || !list) return;
  let pending = 0;
  input.addEventListener('change', () => {
    for (const file of [...(input.files ?? [])]) void upload(file);
    input.value = '';
  });

  async function upload(file: File): Promise<void> {
    const item = document.createElement('li');
    item.className = 'is-uploading';
    item.textContent = `${file.name} · ${str('uploading')}`;
    list?.append(item);
    pending++;
    if (send) send.disabled = true;
    try {
      const data = new FormData();
      data.append('file', file);
      const res = await post('/files', data);
      if (!res.ok) throw new Error(String(res.status));
      const uploaded = (await res.json()) as Uploaded;
      item.className = '';
      item.textContent = uploaded.filename;
      const hidden = document.createElement('input');
      hidden.type = 'hidden';
      hidden.name = 'attachmentIds';
      hidden.value = uploaded.id;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'icon-btn';
      remove.setAttribute('aria-label', str('removeFile', { name: uploaded.filename }));
      remove.textContent = '×';
      remove.addEventListener('click', () => item.remove());
      item.append(hidden, remove);
    } catch {
      item.className = 'is-failed';
      item.textContent = str('uploadFailed', { name: file.name });
      setTimeout(() => item.remove(), 6000);
    } finally {
      pending--;
      if (send && !pending) send.disabled = false;
    }
  }
}
