/** The panel's styles; every rule lives inside the shadow root under `.sori`, so the host page cannot reach them. */
export const PANEL_CSS = `
.sori{--bg:#fff;--fg:#111827;--muted:#5b6472;--line:#e5e7eb;--bubble:#f1f3f6;--soft:#f7f8fa;--card:#fff;--err:#b91c1c;--shadow:0 12px 48px rgba(17,24,39,.22),0 2px 8px rgba(17,24,39,.12)}
@media (prefers-color-scheme:dark){.sori{--bg:#16181d;--fg:#eef0f3;--muted:#a3abb8;--line:#2c3038;--bubble:#262a31;--soft:#1d2026;--card:#1f2228;--err:#fca5a5;--shadow:0 12px 48px rgba(0,0,0,.55)}}
.panel{position:fixed;bottom:88px;z-index:2147483001;width:380px;height:min(660px,calc(100vh - 108px));display:flex;flex-direction:column;background:var(--bg);color:var(--fg);border-radius:18px;box-shadow:var(--shadow);overflow:hidden;opacity:0;transform:translateY(12px) scale(.98);pointer-events:none;transition:opacity .14s ease,transform .14s ease;word-break:keep-all;overflow-wrap:anywhere}
.panel.open{opacity:1;transform:none;pointer-events:auto}
.right .panel{right:20px}.left .panel{left:20px}
@media (max-width:480px){.panel{inset:0;width:100%;height:100%;border-radius:0;bottom:0}.panel.open~.launch,.open-mobile .launch{display:none}}
@media (prefers-reduced-motion:reduce){.panel{transition:none}}
.head{background:var(--accent);color:var(--on);padding:16px 16px 18px;display:flex;gap:12px;align-items:center;flex:none}
.head.tall{padding:22px 20px 28px;flex-direction:column;align-items:flex-start;gap:6px}
.head h2{all:unset;font-size:17px;font-weight:700;display:block}
.head.tall h2{font-size:24px;line-height:1.25}
.head p{margin:0;font-size:13.5px;opacity:.92}
.head .row{display:flex;width:100%;align-items:center;gap:10px}
.head .grow{flex:1;min-width:0}
.ib{all:unset;box-sizing:border-box;width:36px;height:36px;border-radius:10px;display:inline-flex;align-items:center;justify-content:center;cursor:pointer;color:inherit;flex:none}
.ib:hover{background:rgba(127,127,127,.16)}.ib:focus-visible{outline:2px solid currentColor;outline-offset:1px}
.logo{width:36px;height:36px;border-radius:10px;object-fit:cover;background:rgba(255,255,255,.2);flex:none}
.avatars{display:flex}.avatars .av{margin-left:-8px;box-shadow:0 0 0 2px var(--accent)}.avatars .av:first-child{margin-left:0}
.av{width:28px;height:28px;border-radius:50%;display:inline-flex;align-items:center;justify-content:center;font-size:12px;font-weight:700;color:#fff;flex:none;text-transform:uppercase}
.status{display:flex;align-items:center;gap:6px;font-size:13px;opacity:.95}
.dot{width:8px;height:8px;border-radius:50%;background:#22c55e;box-shadow:0 0 0 2px rgba(255,255,255,.6)}.dot.off{background:#9ca3af}
.body{flex:1;overflow-y:auto;overscroll-behavior:contain;background:var(--soft)}
.home{padding:0 16px 16px;margin-top:-12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:14px 16px;margin-top:12px;box-shadow:0 1px 2px rgba(17,24,39,.05)}
.card h3{all:unset;display:block;font-size:14px;font-weight:700;margin-bottom:4px}
.card p{margin:0;color:var(--muted);font-size:13.5px}
.primary{all:unset;box-sizing:border-box;display:flex;align-items:center;justify-content:center;gap:8px;width:100%;min-height:44px;margin-top:12px;padding:10px 16px;border-radius:12px;background:var(--accent);color:var(--on);font-weight:600;font-size:15px;cursor:pointer;text-align:center}
.primary:focus-visible,.secondary:focus-visible,.chip:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.secondary{all:unset;box-sizing:border-box;display:inline-flex;align-items:center;justify-content:center;gap:6px;min-height:40px;padding:8px 14px;border-radius:10px;border:1px solid var(--line);background:var(--card);color:var(--fg);font-size:14px;font-weight:600;cursor:pointer}
.conv{all:unset;box-sizing:border-box;display:flex;gap:12px;align-items:center;width:100%;padding:12px 4px;border-top:1px solid var(--line);cursor:pointer}
.conv:first-of-type{border-top:0}.conv:focus-visible{outline:2px solid var(--accent)}
.conv .grow{flex:1;min-width:0}.conv .name{font-weight:600;font-size:14px;display:flex;justify-content:space-between;gap:8px}
.conv .time{color:var(--muted);font-weight:400;font-size:12px;font-variant-numeric:tabular-nums}
.conv .snippet{color:var(--muted);font-size:13.5px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.unread .snippet{color:var(--fg);font-weight:600}
.log{padding:12px 14px 8px;display:flex;flex-direction:column;gap:2px;min-height:100%}
.sep{align-self:center;margin:12px 0 6px;font-size:12px;color:var(--muted);font-variant-numeric:tabular-nums}
.sys{align-self:center;margin:8px 0;padding:4px 10px;border-radius:999px;background:var(--bubble);font-size:12.5px;color:var(--muted);text-align:center}
.grp{display:flex;gap:8px;align-items:flex-end;margin-top:8px}
.grp.me{flex-direction:row-reverse}
.grp.them>.av{margin-bottom:20px}
.grp .stack{display:flex;flex-direction:column;gap:3px;max-width:78%;min-width:0}
.grp.me .stack{align-items:flex-end}
.who{font-size:12px;color:var(--muted);margin:0 0 2px 12px}
.bubble{padding:9px 13px;border-radius:18px;background:var(--bubble);color:var(--fg);font-size:15px;line-height:1.45;max-width:100%}
.bubble p{margin:0}.bubble p+p{margin-top:6px}.bubble a{color:inherit;text-decoration:underline}
.them .bubble{border-bottom-left-radius:6px}
.me .bubble{background:var(--accent);color:var(--on);border-bottom-right-radius:6px}
.bubble.pending{opacity:.65}.bubble.failed{outline:2px solid #dc2626;cursor:pointer}
.meta{display:flex;align-items:center;gap:4px;font-size:11.5px;color:var(--muted);padding:0 4px;font-variant-numeric:tabular-nums}
.meta .tick{display:inline-flex;color:var(--muted)}.meta .tick.read{color:var(--accent)}
@media (prefers-color-scheme:dark){.meta .tick.read{color:#60a5fa}}
.img{display:block;max-width:220px;max-height:220px;border-radius:14px;border:1px solid var(--line)}
.filechip{display:inline-flex;align-items:center;gap:6px;padding:8px 12px;border-radius:12px;background:var(--card);border:1px solid var(--line);color:var(--fg);font-size:13.5px;text-decoration:none}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.chip{all:unset;box-sizing:border-box;min-height:36px;padding:7px 14px;border-radius:999px;border:1.5px solid var(--accent);color:var(--fg);background:var(--card);font-size:14px;font-weight:600;cursor:pointer}
.chip:hover{background:var(--accent);color:var(--on)}
.linkbtn{display:flex;align-items:center;justify-content:center;gap:6px;min-height:40px;padding:8px 12px;border-radius:12px;border:1px solid var(--line);background:var(--card);color:var(--fg);font-weight:600;font-size:14px;text-decoration:none;margin-top:6px}
.carousel{display:flex;gap:10px;overflow-x:auto;padding:4px 2px 8px;scroll-snap-type:x mandatory;max-width:300px}
.ccard{flex:none;width:200px;scroll-snap-align:start;background:var(--card);border:1px solid var(--line);border-radius:14px;overflow:hidden}
.ccard img{display:block;width:100%;height:110px;object-fit:cover}
.ccard .in{padding:10px 12px}.ccard b{display:block;font-size:14px}.ccard span{display:block;font-size:13px;color:var(--muted);margin-top:2px}
.form{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:12px;margin-top:6px;min-width:230px}
label.f{display:block;font-size:12.5px;font-weight:600;color:var(--muted);margin:8px 0 4px}
.fld{margin-top:4px}.req{color:var(--err)}.card .ferr{margin:4px 0 0;font-size:12.5px;color:var(--err)}.ferr:empty{display:none}
.chkrow{display:flex;align-items:center;gap:10px;min-height:40px;margin-top:4px}
label.chk{font-size:14px;color:var(--fg);cursor:pointer}
.chkrow input{flex:none;width:20px;height:20px;margin:0;accent-color:var(--accent);cursor:pointer}
select.inp{appearance:auto;cursor:pointer}.inp[aria-invalid=true]{border-color:var(--err)}
.inp{all:unset;box-sizing:border-box;display:block;width:100%;min-height:40px;padding:9px 12px;border-radius:10px;border:1px solid var(--line);background:var(--bg);color:var(--fg);font-size:15px}
.inp:focus{border-color:var(--accent);box-shadow:0 0 0 3px color-mix(in srgb,var(--accent) 25%,transparent)}
.banner{margin:10px 14px 0;padding:10px 12px;border-radius:12px;background:var(--card);border:1px solid var(--line);font-size:13.5px;display:flex;gap:8px;align-items:flex-start}
.banner .grow{flex:1}.banner b{display:block}
.typing{display:inline-flex;gap:4px;padding:12px 14px;border-radius:18px;border-bottom-left-radius:6px;background:var(--bubble)}
.typing i{width:7px;height:7px;border-radius:50%;background:var(--muted);animation:b 1.2s infinite}
.typing i:nth-child(2){animation-delay:.15s}.typing i:nth-child(3){animation-delay:.3s}
@keyframes b{0%,60%,100%{opacity:.35;transform:none}30%{opacity:1;transform:translateY(-3px)}}
@media (prefers-reduced-motion:reduce){.typing i{animation:none}}
.composer{flex:none;border-top:1px solid var(--line);background:var(--bg);padding:10px 10px 10px 14px;display:flex;align-items:flex-end;gap:4px}
.composer textarea{all:unset;box-sizing:border-box;flex:1;min-height:40px;max-height:120px;padding:9px 4px;font-size:15px;line-height:1.45;color:var(--fg);white-space:pre-wrap;overflow-y:auto;word-break:keep-all;overflow-wrap:anywhere}
.composer textarea::placeholder{color:var(--muted)}
.sendb{all:unset;box-sizing:border-box;width:40px;height:40px;border-radius:12px;display:inline-flex;align-items:center;justify-content:center;background:var(--accent);color:var(--on);cursor:pointer;flex:none}
.sendb:disabled{opacity:.45;cursor:default}.sendb:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.composer .ib{color:var(--muted)}
.emojis{display:grid;grid-template-columns:repeat(8,1fr);gap:2px;padding:8px;border-top:1px solid var(--line);background:var(--bg)}
.emojis button{all:unset;height:36px;text-align:center;font-size:20px;border-radius:8px;cursor:pointer}
.emojis button:hover,.emojis button:focus-visible{background:var(--bubble)}
.foot{text-align:center;font-size:11.5px;color:var(--muted);padding:6px 0 8px;background:var(--bg)}
.note{padding:10px 14px;font-size:13px;color:var(--muted);text-align:center}
.hidden{display:none!important}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
