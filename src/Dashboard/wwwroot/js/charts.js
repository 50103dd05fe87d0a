// Draws every <canvas data-chart-type="…" data-chart='{…}'>: the data comes with the page, the script from a file, so
// the Content-Security-Policy needs no inline script.
Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
    const stacked = canvas.dataset.chartStacked === "true";
    new Chart(canvas, {
        type: canvas.dataset.chartType,
        data: JSON.parse(canvas.dataset.chart),
        options: {
            maintainAspectRatio: false,
            locale: "fa-IR",
            spanGaps: true,
            scales: stacked ? { x: { stacked: true }, y: { stacked: true, max: 100 } } : undefined,
            plugins: { legend: { rtl: true } },
        },
    });
}
