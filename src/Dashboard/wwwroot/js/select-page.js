// "Select this page" on a list with boxes: ticks or clears every row's box of its table (the server still checks
// every row it is sent, and the queue asks for a confirmation before it acts).
document.addEventListener('DOMContentLoaded', () => {
    const all = document.getElementById('select-page');
    if (!all) {
        return;
    }

    const boxes = () => all.closest('table').querySelectorAll('tbody input[type=checkbox]');
    all.addEventListener('change', () => boxes().forEach(box => { box.checked = all.checked; }));
});
