const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const TEXT = {
  en: {
    lang: 'en',
    banner: 'Demo page of the chat widget',
    embed: 'Put this tag on any page of your site:',
    shop: 'Cosy Sofa Co.',
    nav: ['Sofas', 'Armchairs', 'Delivery', 'Contacts'],
    heroTitle: 'Sofas you will not want to leave',
    heroText: 'Handmade in small batches. Free delivery in the city, 2–3 days.',
    buy: 'Add to cart',
    products: [
      ['Oslo three-seater', '54 900 ₽', '#c9d6c3', '#7d9a76'],
      ['Bergen corner sofa', '89 500 ₽', '#d8c8b8', '#a0826d'],
      ['Malmö armchair', '21 300 ₽', '#c3cfe0', '#6f86a8'],
    ],
    footer: 'A demo shop: nothing here is for sale. Write in the chat at the bottom right.',
  },
  ru: {
    lang: 'ru',
    banner: 'Демо-страница чат-виджета',
    embed: 'Вставьте этот тег на любую страницу своего сайта:',
    shop: 'Уютный диван',
    nav: ['Диваны', 'Кресла', 'Доставка', 'Контакты'],
    heroTitle: 'Диваны, с которых не хочется вставать',
    heroText: 'Ручная работа, небольшие партии. Бесплатная доставка по городу за 2–3 дня.',
    buy: 'В корзину',
    products: [
      ['Трёхместный «Осло»', '54 900 ₽', '#c9d6c3', '#7d9a76'],
      ['Угловой «Берген»', '89 500 ₽', '#d8c8b8', '#a0826d'],
      ['Кресло «Мальмё»', '21 300 ₽', '#c3cfe0', '#6f86a8'],
    ],
    footer: 'Это демо-магазин: здесь ничего не продаётся. Напишите в чат справа внизу.',
  },
};

/**
 * A small fake shop with the widget embedded exactly as a customer's site would embed it, so an
 * owner sees the chat working before touching their own site. Same-origin script: the product's CSP holds.
 */
export function demoPage(opts: { channelId: string; name: string; locale: 'ru' | 'en' | 'auto' }): string {
  const t = TEXT[opts.locale === 'ru' ? 'ru' : 'en'];
  const snippet = `<script src="/widget.js" data-channel="${opts.channelId}" async></script>`;
  const cards = t.products
    .map(
      ([title, price, light, dark]) => `
      <article class="card">
        <div class="photo" style="background:linear-gradient(160deg, ${light}, ${dark})"><div class="sofa"></div></div>
        <h3>${escape(title!)}</h3>
        <p class="price">${escape(price!)}</p>
        <button type="button">${t.buy}</button>
      </article>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(t.shop)} — ${escape(opts.name)}</title>
<style>
  *{box-sizing:border-box} body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#faf8f5}
  .banner{background:#1f2328;color:#e6edf3;padding:10px 24px;font-size:13px;display:flex;gap:12px;flex-wrap:wrap;align-items:center}
  .banner code{background:#30363d;padding:2px 6px;border-radius:4px;font-size:12px;user-select:all}
  header{display:flex;align-items:center;justify-content:space-between;padding:18px 48px;background:#fff;border-bottom:1px solid #eee}
  .logo{font-weight:700;font-size:20px;letter-spacing:-.3px} nav a{margin-left:24px;color:#57606a;text-decoration:none}
  .hero{padding:56px 48px 24px;max-width:1100px;margin:0 auto} .hero h1{font-size:40px;line-height:1.15;margin:0 0 12px;letter-spacing:-.8px}
  .hero p{color:#57606a;font-size:18px;margin:0}
  .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:24px;padding:24px 48px 64px;max-width:1100px;margin:0 auto}
  .card{background:#fff;border-radius:14px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.06)}
  .photo{height:170px;border-radius:10px;position:relative;overflow:hidden}
  .sofa{position:absolute;left:18%;right:18%;bottom:26%;height:34%;background:rgba(255,255,255,.55);border-radius:14px 14px 6px 6px}
  .card h3{margin:14px 0 2px;font-size:17px} .price{margin:0 0 12px;color:#57606a}
  .card button{border:0;background:#1f2328;color:#fff;padding:9px 16px;border-radius:8px;font:inherit;font-size:14px;cursor:pointer}
  footer{text-align:center;color:#8c959f;font-size:14px;padding:0 24px 48px}
</style>
</head>
<body>
<div class="banner"><strong>${t.banner} «${escape(opts.name)}»</strong><span>${t.embed}</span><code>${escape(snippet)}</code></div>
<header><div class="logo">${escape(t.shop)}</div><nav>${t.nav.map((n) => `<a href="#">${n}</a>`).join('')}</nav></header>
<section class="hero"><h1>${t.heroTitle}</h1><p>${t.heroText}</p></section>
<section class="grid">${cards}
</section>
<footer>${t.footer}</footer>
${snippet}
</body>
</html>
`;
}
