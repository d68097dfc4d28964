# human(value, unit): a quantity in base units (seconds, B/s) with an SI prefix and three
# significant figures, e.g. human(1.41e-7, "s") = "141 ns". Shared by the report's tables
# and the charts' legend labels.
function human(value, unit,    prefixes, exponent, scaled) {
  if (value == "" || value == "NaN") return "n/a"
  split("p n µ m _ k M G T", prefixes, " ")
  exponent = 5
  scaled = value + 0
  while (scaled != 0 && (scaled < 0 ? -scaled : scaled) < 1 && exponent > 1) { scaled *= 1000; exponent-- }
  while ((scaled < 0 ? -scaled : scaled) >= 999.5 && exponent < 9) { scaled /= 1000; exponent++ }
  return sprintf((scaled >= 99.95 || scaled <= -99.95) ? "%.0f %s%s" : (scaled >= 9.995 || scaled <= -9.995) ? "%.1f %s%s" : "%.2f %s%s",
                 scaled, prefixes[exponent] == "_" ? "" : prefixes[exponent], unit)
}
