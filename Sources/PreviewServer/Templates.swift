/// The page templates, compiled into the binary: no files to find at run time.
enum Templates {
  static let all: [(String, String)] = [
    ("layoutHead", layoutHead), ("layoutFoot", layoutFoot), ("error", error), ("signin", signIn),
    ("treasury", treasury), ("earnings", earnings),
  ]

  static let layoutHead = """
    <!doctype html>
    <html lang="{{#lang}}{{lang}}{{/lang}}{{^lang}}en{{/lang}}">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · Settle</title>
    <style>
    body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 54rem; padding: 0 1rem; color: #1d2330; }
    header { display: flex; justify-content: space-between; align-items: center; }
    table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
    th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #dde; }
    td.amount, th.amount { text-align: right; font-variant-numeric: tabular-nums; }
    .muted { color: #667; } .error { color: #a01c1c; }
    svg text { font: 12px system-ui, sans-serif; fill: #1d2330; } svg rect { fill: #2f6fbd; }
    </style>
    </head>
    <body>

    """

  static let layoutFoot = """
    </body>
    </html>

    """

  static let error = """
    {{> layoutHead}}<h1>{{title}}</h1>
    <p class="error">{{message}}</p>
    {{#signIn}}<p><a href="/signin{{#next}}?next={{next}}{{/next}}">Sign in</a></p>{{/signIn}}
    {{> layoutFoot}}
    """

  static let signIn = """
    {{> layoutHead}}<h1>Sign in</h1>
    {{#message}}<p class="error">{{message}}</p>{{/message}}
    <form method="post" action="/signin">
    <label>Access token <input type="password" name="token" autocomplete="off" required size="72"></label>
    {{#next}}<input type="hidden" name="next" value="{{next}}">{{/next}}
    <button type="submit">Sign in</button>
    </form>
    <p class="muted">Your program's treasury gives you a token (settle tokens issue).</p>
    {{> layoutFoot}}
    """

  static let treasury = """
    {{> layoutHead}}<h1>Signed in with a treasury token</h1>
    <p>Open an affiliate's page at <code>/affiliates/ID</code>.</p>
    <form method="post" action="/signout"><button type="submit">Sign out</button></form>
    {{> layoutFoot}}
    """

  static let earnings = """
    {{> layoutHead}}<header><h1>Earnings of {{affiliateID}}</h1>
    <form method="post" action="/signout"><button type="submit">Sign out</button></form></header>
    <form method="get" action="/affiliates/{{affiliatePath}}">
    <label>Currency <select name="currency">{{#currencies}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{code}}</option>{{/currencies}}</select></label>
    <input type="hidden" name="locale" value="{{locale}}">
    <button type="submit">Show</button>
    </form>
    <p class="muted">Settled in {{settlementCurrency}}; shown in {{displayCurrency}} at the ECB reference rates of {{publicationDay}} (1 EUR = {{rateFrom}} {{settlementCurrency}} = {{rateTo}} {{displayCurrency}}), converted exactly and rounded once.</p>
    <p>Balance carried: <strong>{{balanceDisplay}}</strong> <span class="muted">({{balanceSettlement}})</span></p>
    <h2>Commission by market</h2>
    {{#chart}}{{#isEmpty}}<p class="muted">No commission yet.</p>{{/isEmpty}}{{^isEmpty}}<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Commission by market" width="{{width}}" height="{{height}}" viewBox="0 0 {{width}} {{height}}">
    {{#bars}}<g><text x="0" y="{{textY}}">{{market}}</text><rect x="{{x}}" y="{{y}}" width="{{width}}" height="22"></rect><text x="{{labelX}}" y="{{textY}}">{{label}}</text></g>
    {{/bars}}</svg>{{/isEmpty}}{{/chart}}
    {{#periods}}<section>
    <h2>{{period}} <span class="muted">{{status}}</span></h2>
    <table>
    <thead><tr><th>Market</th><th class="amount">Orders</th><th class="amount">Commission</th><th class="amount">Settled</th></tr></thead>
    <tbody>
    {{#markets}}<tr><td>{{market}}</td><td class="amount">{{orders}}</td><td class="amount">{{display}}</td><td class="amount">{{settlement}}</td></tr>
    {{/markets}}</tbody>
    <tfoot><tr><th>Total</th><td></td><td class="amount">{{totalDisplay}}</td><td class="amount">{{totalSettlement}}</td></tr></tfoot>
    </table>
    {{#hasPayouts}}<h3>Payouts</h3>
    <table>
    <thead><tr><th>Reference</th><th>Method</th><th>State</th><th class="amount">Amount</th><th class="amount">Paid</th></tr></thead>
    <tbody>
    {{#payouts}}<tr><td>{{reference}}</td><td>{{method}}</td><td>{{state}}</td><td class="amount">{{display}}</td><td class="amount">{{paid}}</td></tr>
    {{/payouts}}</tbody>
    </table>{{/hasPayouts}}
    </section>
    {{/periods}}{{> layoutFoot}}
    """
}
