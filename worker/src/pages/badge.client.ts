// Runs on the badge page: "Copy" buttons copy their snippet (the text areas stay selectable without it).
for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-copy]'))) {
  button.addEventListener('click', async () => {
    const area = document.getElementById(button.dataset.copy ?? '') as HTMLTextAreaElement | null;
    if (area === null) return;
    try {
      await navigator.clipboard.writeText(area.value);
    } catch {
      area.select();
      document.execCommand('copy');
    }
    button.textContent = 'Copied';
    setTimeout(() => {
      button.textContent = 'Copy';
    }, 1500);
  });
}

export {};
