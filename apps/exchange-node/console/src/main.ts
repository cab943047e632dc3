import { h, render } from 'preact';
import { App } from './app';
import { chooseLang } from './i18n';

const root = document.getElementById('console');
if (root)
  render(
    h(App, { initialLang: chooseLang(localStorage.getItem('puente.console.lang'), navigator.languages) }),
    root,
  );
