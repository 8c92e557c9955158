// The demo blog's own script, not Sala's: a theme switch, to show that Sala's elements follow the page's theme.
const toggle = document.querySelector('.theme-toggle');
toggle?.addEventListener('click', () => {
  const dark = document.documentElement.dataset.theme !== 'dark';
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  toggle.setAttribute('aria-pressed', String(dark));
});
