"""The page's CSS (one <style> block): type scale, spacing and state colours shared with the PDF report."""

from __future__ import annotations

from .grid import CONTACTED_COLOUR, HEADER_HEIGHT, ROW_HEIGHT

INK, MUTED, LINE, ACCENT = "#1f2933", "#52606d", "#d9e2ec", "#1a5fb4"

CSS = f"""
<style>
.cobranca-app {{ font-family: "DejaVu Sans", Arial, sans-serif; color: {INK}; font-size: 13px;
                 --cobranca-side-width: clamp(380px, 30vw, 480px); }}
.cobranca-app .widget-inline-hbox, .cobranca-app .widget-button, .cobranca-app .widget-toggle-button {{ margin-top: 1px; margin-bottom: 1px; }}
.cobranca-bar {{ gap: 4px; align-items: center; flex-flow: row nowrap; min-width: 0; }}
.cobranca-title {{ font-size: 15px; font-weight: bold; margin: 0 12px 0 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.cobranca-title-date {{ font-weight: normal; color: {MUTED}; }}
.cobranca-muted {{ color: {MUTED}; }}
.cobranca-responsible.cobranca-missing input {{ border: 2px solid #d97706; background: #fff7ed; }}
.cobranca-banner {{ background: #fff4e5; color: #7a4300; border: 1px solid #f0b35b; border-radius: 6px;
                   padding: 6px 12px; margin: 4px 8px 4px 0; }}
.cobranca-kpi-row {{ display: flex; gap: 6px; flex-wrap: nowrap; margin: 2px 0 4px 0; }}
.cobranca-kpi {{ border: 1px solid {LINE}; border-radius: 6px; padding: 2px 8px; flex: 1 1 0; min-width: 0; background: #f7fafc; }}
.cobranca-kpi-label {{ font-size: 11px; color: {MUTED}; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.cobranca-kpi-value {{ font-size: clamp(13px, 1.1vw, 18px); font-weight: bold; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.cobranca-kpi-note {{ font-size: 11px; font-weight: normal; color: {MUTED}; }}
.cobranca-kpi-contacted_today {{ border-left: 4px solid {CONTACTED_COLOUR}; }}
.cobranca-main {{ gap: 12px; align-items: flex-start; width: 100%; }}
.cobranca-main.cobranca-loading .cobranca-grid, .cobranca-main.cobranca-loading .cobranca-count {{ opacity: .55; }}
.cobranca-list {{ flex: 1 1 auto; min-width: 0; }}
.cobranca-side {{ flex: 0 0 var(--cobranca-side-width); width: var(--cobranca-side-width); border: 1px solid {LINE};
                 border-radius: 8px; padding: 4px 10px; background: #fbfcfd; height: calc(var(--cobranca-grid-height) + 36px);
                 overflow-y: auto; box-sizing: border-box; }}
.cobranca-side .jupyter-widgets, .cobranca-side .widget-box > * {{ flex-shrink: 0; }}  /* never squeezed */
.cobranca-side-title {{ font-weight: bold; font-size: 14px; margin: 4px 0 2px 0; }}
.cobranca-side-section {{ border-top: 1px solid {LINE}; margin-top: 4px; padding-top: 2px; }}
.cobranca-selected-head {{ font-size: 13px; line-height: 1.4; }}
.cobranca-selected-customer {{ font-size: 15px; font-weight: bold; overflow-wrap: anywhere; }}
.cobranca-account-table td {{ padding: 1px 6px; }}
.cobranca-selected-none {{ color: {MUTED}; padding: 12px 0; }}
.cobranca-badge {{ border-radius: 10px; padding: 1px 8px; font-size: 11px; font-weight: bold; white-space: nowrap; }}
.cobranca-badge-contacted {{ background: {CONTACTED_COLOUR}; color: #1e6b2a; }}
.cobranca-table {{ border-collapse: collapse; font-size: 12px; margin-top: 4px; width: 100%; }}
.cobranca-table th, .cobranca-table td {{ border-bottom: 1px solid {LINE}; padding: 3px 6px; text-align: left; vertical-align: top; }}
.cobranca-table th {{ background: #eef2f5; }}
.cobranca-account-table td:first-child {{ color: {MUTED}; width: 38%; }}
.cobranca-history-entries td:nth-child(4) {{ overflow-wrap: anywhere; }}
.cobranca-history-entries td:first-child {{ width: 82px; }}
.cobranca-app a {{ color: {ACCENT}; }}
.cobranca-app .widget-button {{ min-width: max-content; }}
.cobranca-whatsapp-link {{ display: inline-block; background: #1f8f4e; color: white !important; text-decoration: none;
                          border-radius: 3px; padding: 0 14px; line-height: 28px; font-weight: bold; margin: 2px 4px 2px 0; }}
.cobranca-whatsapp-off {{ display: inline-block; background: #cbd2d9; color: #52606d; border-radius: 3px;
                         padding: 0 14px; line-height: 28px; margin: 2px 4px 2px 0; cursor: not-allowed; }}
.cobranca-phone-warning {{ color: #8a5300; }}
.cobranca-hint {{ color: {MUTED}; margin: 4px 0; }}
.cobranca-done {{ color: #1e6b2a; font-weight: bold; margin: 4px 0; }}
.cobranca-cancel-confirm {{ background: #fdecea; border-radius: 6px; padding: 6px 8px; margin-top: 4px; }}
.cobranca-downloads {{ min-height: 28px; line-height: 28px; margin-left: 6px; white-space: nowrap; }}
.cobranca-filter-summary {{ flex: 1 1 auto; min-width: 80px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis;
                           color: {MUTED}; margin: 0 6px; }}
.cobranca-filters, .cobranca-outputs {{ min-width: 0; }}
.cobranca-filters {{ flex: 1 1 auto; }}
.cobranca-download {{ font-weight: bold; }}
.cobranca-count-text {{ color: {MUTED}; margin: 0 12px; }}
.cobranca-sort-text {{ color: {MUTED}; }}
/* Forms open as a dialog over the page (never squeezed between widgets; nothing covers them). */
.cobranca-app .cobranca-dialog {{ position: fixed; top: 50%; left: 50%; transform: translate(-50%, -50%); z-index: 2000;
                  width: min(600px, calc(100vw - 32px)); max-height: calc(100vh - 32px); overflow: auto; box-sizing: border-box;
                  background: white; border: 1px solid #9fb3c8 !important; border-radius: 8px; padding: 10px 14px !important;
                  box-shadow: 0 0 0 100vmax rgba(15, 23, 42, .35), 0 8px 24px rgba(0,0,0,.3); margin: 0 !important; }}
.cobranca-app .cobranca-dialog.cobranca-filter-form {{ width: min(700px, calc(100vw - 32px)); }}
.cobranca-notice {{ font-size: 12px; line-height: 1.35; }}
.cobranca-dialog .cobranca-side-title {{ margin-top: 0; font-size: 15px; }}
.cobranca-dialog-buttons {{ gap: 6px; margin-top: 6px; flex-flow: row wrap; align-items: center; }}
/* Notices: over the list's last rows (no input there), under the dialogs, never over the side panel. */
.cobranca-alerts {{ position: fixed; bottom: 190px; left: 24px; z-index: 1000;  /* above the sections' titles */
                   max-width: min(640px, calc(100vw - var(--cobranca-side-width) - 64px)); max-height: 30vh;
                   overflow: auto; box-shadow: 0 2px 8px rgba(0,0,0,.25); background: white; border-radius: 4px; }}
.cobranca-more {{ margin-top: 4px; }}
.cobranca-more .jupyter-widget-Collapse-header {{ padding: 2px 10px !important; line-height: 18px; }}
.cobranca-more .jupyter-widget-Collapse {{ margin: 0 !important; }}
.cobranca-table {{ line-height: 1.35; }}
.cobranca-count .widget-html-content, .cobranca-count-text {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.cobranca-columns-choice {{ flex-flow: row wrap; gap: 2px 12px; }}
.cobranca-import-upload, .cobranca-baixa-upload {{ font-size: 0 !important; }}  /* ipywidgets adds "(0)" */
.cobranca-import-upload::after {{ content: "Escolher arquivo"; font-size: 13px; }}
.cobranca-baixa-upload::after {{ content: "Escolher arquivos"; font-size: 13px; }}
.cobranca-import-chosen {{ margin: 0 8px; }}
.cobranca-whatsapp-why {{ color: #7a4300; font-size: 12px; margin: 2px 0; }}
.cobranca-alerts:empty {{ display: none; }}
.cobranca-alerts.cobranca-fade-a {{ animation: cobranca-fade-a 0.4s ease-in 4s forwards; }}
.cobranca-alerts.cobranca-fade-b {{ animation: cobranca-fade-b 0.4s ease-in 4s forwards; }}
@keyframes cobranca-fade-a {{ to {{ opacity: 0; visibility: hidden; }} }}
@keyframes cobranca-fade-b {{ to {{ opacity: 0; visibility: hidden; }} }}
.cobranca-app {{ --cobranca-grid-height: max(260px, calc(100vh - 366px)); }}  /* the seven sections' titles stay in view */
.cobranca-grid {{ height: var(--cobranca-grid-height); overflow: auto; border: 1px solid {LINE};
                 border-radius: 6px; background: white; outline: none; }}
.cobranca-rows {{ border-collapse: separate; border-spacing: 0; font-size: 13px; width: max-content; min-width: 100%; }}
.cobranca-rows th {{ position: sticky; top: 0; z-index: 1; background: #eef2f5; text-align: left; font-weight: bold;
                    padding: 0 10px; height: {HEADER_HEIGHT}px; box-sizing: border-box; border-bottom: 1px solid #bcccdc; cursor: pointer; white-space: nowrap;
                    user-select: none; }}
.cobranca-rows th:hover {{ background: #dde6ee; }}
.cobranca-rows td {{ padding: 0 10px; height: {ROW_HEIGHT}px; box-sizing: border-box; border-bottom: 1px solid #edf1f5; white-space: nowrap;
                    max-width: 240px; overflow: hidden; text-overflow: ellipsis; cursor: pointer; }}
.cobranca-rows .num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.cobranca-rows tr:hover td {{ background: #f3f7fb; }}
.cobranca-rows tr.contacted td {{ background: {CONTACTED_COLOUR}; }}
.cobranca-rows tr.selected td {{ background: #cfe3fb; box-shadow: inset 0 1px 0 {ACCENT}, inset 0 -1px 0 {ACCENT}; }}
.cobranca-rows tr.selected.contacted td {{ background: #b5e8c9; }}
.cobranca-rows td.badge-broken {{ background: #f4c7c3; font-weight: bold; }}
.cobranca-rows td.badge-disputed {{ background: #e0d4f5; }}
.cobranca-rows td.badge-promised {{ background: #fff3cd; }}
.cobranca-rows td.badge-blocked {{ background: #e4e7eb; }}
.cobranca-rows td.band-1 {{ border-left: 4px solid #f6c343; }}
.cobranca-rows td.band-2 {{ border-left: 4px solid #f08c2e; }}
.cobranca-rows td.band-3 {{ border-left: 4px solid #d64545; }}
</style>
"""
