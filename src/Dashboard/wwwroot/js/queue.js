// The queue's "select this page": ticks or clears every return's box on the page (the server never acts without a confirmation).
document.addEventListener('DOMContentLoaded', () => {
    const all = document.getElementById('select-page');
    if (!all) {
        return;
    }

    const boxes = () => document.querySelectorAll('#queue tbody input[name=Selected]');
    all.addEventListener('change', () => boxes().forEach(box => { box.checked = all.checked; }));
});
