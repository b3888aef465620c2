import { initAll } from '../govuk/govuk-frontend.min.js'

initAll()

// After htmx swaps in part of a page (acknowledge, log support), start the GOV.UK components
// in it: a success banner or an error summary then takes focus, so keyboard and screen
// reader users hear what happened, as they would after a full page load.
document.body.addEventListener('htmx:afterSettle', (event) => {
  initAll({ scope: event.detail.target })
})
