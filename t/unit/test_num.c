/* Strict numbers: whole string, base 10, range-checked; C-locale output. */
#include <locale.h>

#include "num.h"
#include "tap.h"

int main(void)
{
	char err[128];
	long l = 0;
	double d = 0;

	ok(num_long("42", 0, 100, &l, err, sizeof err) == 0 && l == 42, "42");
	ok(num_long("-7", -10, 10, &l, err, sizeof err) == 0 && l == -7, "-7");
	ok(num_long("010", 0, 100, &l, err, sizeof err) == 0 && l == 10,
	   "leading zero is decimal, not octal");
	ok(num_long("0x10", 0, 100, &l, err, sizeof err) == -1, "no hex");
	ok(strstr(err, "not a whole number") != NULL, "hex error says why");
	ok(num_long("12abc", 0, 100, &l, err, sizeof err) == -1,
	   "no trailing text");
	ok(num_long("", 0, 100, &l, err, sizeof err) == -1, "empty");
	ok(num_long(" 5", 0, 100, &l, err, sizeof err) == -1,
	   "no leading space");
	ok(num_long("101", 0, 100, &l, err, sizeof err) == -1, "above max");
	is_str(err, "101 is out of range (0 to 100)", "range error text");
	ok(num_long("99999999999999999999", 0, 100, &l, err, sizeof err) == -1,
	   "overflow");

	ok(num_double("1.5", 0, 2, &d, err, sizeof err) == 0 && d == 1.5,
	   "1.5");
	ok(num_double(".5", 0, 2, &d, err, sizeof err) == 0 && d == 0.5, ".5");
	ok(num_double("1e3", 0, 1e9, &d, err, sizeof err) == -1, "no exponent");
	ok(num_double("inf", 0, 1e9, &d, err, sizeof err) == -1, "no inf");
	ok(num_double("nan", 0, 1e9, &d, err, sizeof err) == -1, "no nan");
	ok(num_double("1,5", 0, 9, &d, err, sizeof err) == -1, "no comma");
	ok(num_double(".", 0, 9, &d, err, sizeof err) == -1, "a lone dot");

	ok(num_duration_ms("10", 1, 3600000, &l, err, sizeof err) == 0 &&
	       l == 10000,
	   "10 means seconds");
	ok(num_duration_ms("1.5", 1, 3600000, &l, err, sizeof err) == 0 &&
	       l == 1500,
	   "1.5 s");
	ok(num_duration_ms("250ms", 1, 3600000, &l, err, sizeof err) == 0 &&
	       l == 250,
	   "250ms");
	ok(num_duration_ms("2s", 1, 3600000, &l, err, sizeof err) == 0 &&
	       l == 2000,
	   "2s");
	ok(num_duration_ms("1m", 1, 3600000, &l, err, sizeof err) == 0 &&
	       l == 60000,
	   "1m");
	ok(num_duration_ms("0", 1, 3600000, &l, err, sizeof err) == -1,
	   "0 is below the minimum");
	ok(num_duration_ms("-1", 1, 3600000, &l, err, sizeof err) == -1,
	   "negative");
	ok(num_duration_ms("5h", 1, 3600000, &l, err, sizeof err) == -1,
	   "unknown unit");
	ok(num_duration_ms("ms", 1, 3600000, &l, err, sizeof err) == -1,
	   "unit without number");

	char buf[64];
	num_format(0.012, buf, sizeof buf);
	is_str(buf, "0.012", "0.012");
	num_format(1500, buf, sizeof buf);
	is_str(buf, "1500", "1500 has no decimals");
	num_format(-3.5, buf, sizeof buf);
	is_str(buf, "-3.5", "-3.5");
	num_format(-0.0, buf, sizeof buf);
	is_str(buf, "0", "no -0");
	num_format(1e-9, buf, sizeof buf);
	is_str(buf, "0", "tiny rounds to 0");
	num_format(NAN, buf, sizeof buf);
	is_str(buf, "U", "NAN is U");
	num_format(123456789.25, buf, sizeof buf);
	is_str(buf, "123456789.25", "no exponent for large numbers");

	/* A plugin never calls setlocale(), but even if a library did, our
	 * output must keep '.', so format under a comma locale too. */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8")) {
		num_format(0.5, buf, sizeof buf);
		ok(strchr(buf, ',') == NULL, "no comma under de_DE");
		setlocale(LC_NUMERIC, "C");
	} else {
		ok(1, "# skip de_DE locale not installed");
	}
	return done_testing();
}
