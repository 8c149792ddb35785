#!/usr/bin/env python3
"""Converts amounts with Python's decimal module, as a second opinion on Settle's Conversion.

Usage: decimal_conversion.py CASES RESULTS

CASES starts with a line `modes NAME...` (Settle's rounding mode names, e.g. half-even), then one case a line:

    SOURCE_UNITS TARGET_UNITS RATE_FROM RATE_TO PERCENTAGE AMOUNT

the minor-unit digits of the two currencies, the two rates (units per EUR, plain decimals), the percentage or `-`,
and the amount in source minor units. RESULTS gets one line a case: `fits` or `refused` (whether the exact factor,
target minor units per source minor unit in lowest terms, has a numerator and denominator below 2^64), then the
converted amount in target minor units under each mode, as a whole number of any size.

The amount is amount × 10^-SOURCE_UNITS × RATE_TO ÷ RATE_FROM (× PERCENTAGE ÷ 100): the products are exact at this
precision, the one division is rounded to 200 digits with ROUND_05UP, and only then quantized to TARGET_UNITS
fraction digits in each mode. ROUND_05UP keeps a sticky last digit when the division is inexact, so the second
rounding gives the same result as rounding the exact quotient once (the result has far fewer than 200 digits).
"""
import sys
from decimal import (ROUND_05UP, ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_EVEN,
                     ROUND_HALF_UP, ROUND_UP, Context, Decimal, Inexact)
from fractions import Fraction

MODES = {
    "half-even": ROUND_HALF_EVEN,
    "half-up": ROUND_HALF_UP,
    "half-down": ROUND_HALF_DOWN,
    "up": ROUND_UP,
    "down": ROUND_DOWN,
    "ceiling": ROUND_CEILING,
    "floor": ROUND_FLOOR,
}
PRECISION = 200
FACTOR_LIMIT = 2**64


def factor_fits(source_units, target_units, rate_from, rate_to, percentage):
    factor = Fraction(rate_to) / Fraction(rate_from) * Fraction(10) ** (target_units - source_units)
    if percentage is not None:
        factor = factor * Fraction(percentage) / 100
    return factor.numerator < FACTOR_LIMIT and factor.denominator < FACTOR_LIMIT


def convert(context, source_units, target_units, rate_from, rate_to, percentage, amount, modes):
    context.clear_flags()
    numerator = context.multiply(Decimal(amount).scaleb(-source_units, context), Decimal(rate_to))
    denominator = Decimal(rate_from)
    if percentage is not None:
        numerator = context.multiply(numerator, Decimal(percentage))
        denominator = context.multiply(denominator, Decimal(100))
    assert not context.flags[Inexact], "a product was rounded"
    quotient = context.divide(numerator, denominator)
    unit = Decimal(1).scaleb(-target_units)
    return [int(quotient.quantize(unit, rounding=mode, context=context).scaleb(target_units, context))
            for mode in modes]


def main():
    cases_path, results_path = sys.argv[1], sys.argv[2]
    context = Context(prec=PRECISION, rounding=ROUND_05UP, Emax=999999, Emin=-999999)
    with open(cases_path) as cases, open(results_path, "w") as results:
        header = cases.readline().split()
        if not header or header[0] != "modes":
            sys.exit("the cases file does not start with a modes line")
        modes = [MODES[name] for name in header[1:]]
        count = 0
        for line in cases:
            fields = line.split()
            source_units, target_units = int(fields[0]), int(fields[1])
            rate_from, rate_to, amount = fields[2], fields[3], fields[5]
            percentage = None if fields[4] == "-" else fields[4]
            verdict = "fits" if factor_fits(source_units, target_units, rate_from, rate_to, percentage) else "refused"
            converted = convert(context, source_units, target_units, rate_from, rate_to, percentage, amount, modes)
            results.write(verdict + " " + " ".join(str(value) for value in converted) + "\n")
            count += 1
    print(f"decimal_conversion.py: {count} cases, {len(modes)} modes each", file=sys.stderr)


if __name__ == "__main__":
    main()
