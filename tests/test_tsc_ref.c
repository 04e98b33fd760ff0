/*
 * test_tsc_ref.c - the TSC reference pair kept for the boot (tsc_ref.c)
 * and its check against the collector's own pairs (clock.c).
 *
 * What must hold: a pair saved by an earlier collector of this boot is
 * adopted and gives the rate the own pairs measure; a file from another
 * boot, from before a suspend, or garbage is ignored; a valid file is not
 * replaced, a bad one is; and an adopted reference that disagrees with
 * the own pairs is dropped once they are far enough apart.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "tsc_ref.h"

static char dir[] = "/tmp/sw_test_tsc_ref_XXXXXX";
static char file[600];

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/" SW_TSC_REF_NAME, dir);
}

static void teardown(void)
{
	unlink(file);
	rmdir(dir);
}

TestSuite(tsc_ref, .init = setup, .fini = teardown);

static void need_tsc(void)
{
	if (sw_rdtsc() == 0)
		cr_skip_test("no TSC on this machine");
}

static void write_file(const char *text)
{
	FILE *f = fopen(file, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static void read_file(char *buf, size_t n)
{
	FILE *f = fopen(file, "r");
	cr_assert_not_null(f);
	size_t got = fread(buf, 1, n - 1, f);
	buf[got] = '\0';
	fclose(f);
}

/* A pair from SW_CAL_MIN_NS ago, saved; returns the saving collector's cal. */
static struct sw_tsc_cal save_old_pair(void)
{
	struct sw_tsc_cal old;
	sw_tsc_cal_init(&old);
	sw_tsc_ref_save(&old, dir, false);
	usleep(SW_CAL_MIN_NS / 1000 + 5000);
	return old;
}

Test(tsc_ref, a_pair_of_this_boot_is_adopted_and_gives_the_right_rate)
{
	need_tsc();
	struct sw_tsc_cal old = save_old_pair();
	struct sw_tsc_cal c;
	sw_tsc_cal_init(&c);
	cr_assert(sw_tsc_ref_load(&c, dir), "the saved pair was not adopted");
	cr_assert_eq(c.ref_ticks, old.own_ticks);
	cr_assert_eq(c.ref_ns, old.own_ns);
	cr_assert_geq(sw_tsc_cal_span(&c), SW_CAL_MIN_NS, "no wait needed any more");
	/* The rate measured from the old pair equals the one measured over
	 * the next 30 ms from our own pair. */
	usleep(30000);
	sw_tsc_cal_sample(&c);
	double own = (double)(c.last_ns - c.own_ns) / (double)(c.last_ticks - c.own_ticks);
	cr_assert(fabs(c.ns_per_tick / own - 1.0) < 0.001, "%.9f vs own %.9f",
		  c.ns_per_tick, own);
	cr_assert_not(c.ref_bad);
}

Test(tsc_ref, a_valid_file_is_kept_a_bad_one_replaced)
{
	need_tsc();
	save_old_pair();
	char before[256], after[256];
	read_file(before, sizeof(before));
	struct sw_tsc_cal c;
	sw_tsc_cal_init(&c);
	sw_tsc_ref_save(&c, dir, false);
	read_file(after, sizeof(after));
	cr_assert_str_eq(after, before, "a valid older pair must stay");
	sw_tsc_ref_save(&c, dir, true);
	read_file(after, sizeof(after));
	cr_assert_str_neq(after, before, "a pair found bad must be replaced");
}

Test(tsc_ref, another_boot_a_suspend_or_garbage_is_ignored)
{
	need_tsc();
	save_old_pair();
	char good[256], id[64], bad[300];
	unsigned long long t, n, s;
	read_file(good, sizeof(good));
	cr_assert_eq(sscanf(good, "%63s %llu %llu %llu", id, &t, &n, &s), 4);

	const char *cases[4];
	char other_boot[300], suspended[300];
	snprintf(other_boot, sizeof(other_boot), "%.35s%c %llu %llu %llu\n", id,
		 id[35] == '0' ? '1' : '0', t, n, s);
	snprintf(suspended, sizeof(suspended), "%s %llu %llu %llu\n", id, t, n,
		 s + 5000000000ull);
	snprintf(bad, sizeof(bad), "%s %llu\n", id, t);
	cases[0] = other_boot;
	cases[1] = suspended;
	cases[2] = bad;
	cases[3] = "\x01\x02 garbage 99999999999999999999999999 -1\n";
	for (int i = 0; i < 4; i++) {
		write_file(cases[i]);
		struct sw_tsc_cal c;
		sw_tsc_cal_init(&c);
		cr_expect_not(sw_tsc_ref_load(&c, dir), "case %d adopted: %s", i, cases[i]);
		cr_expect_eq(c.ref_ns, c.own_ns, "case %d", i);
	}
}

Test(tsc_ref, a_wrong_adopted_reference_is_dropped_once_the_own_pairs_can_tell)
{
	need_tsc();
	struct sw_tsc_cal c;
	sw_tsc_cal_init(&c);
	/* A pair 100 ms ago, but 2% off the true rate: as if the TSC had
	 * jumped between its sample and now. */
	uint64_t t, n;
	usleep(1000);
	sw_tsc_cal_sample(&c);
	double r = c.ns_per_tick > 0.0 ? c.ns_per_tick : 0.3;
	t = c.own_ticks - (uint64_t)(100e6 / r * 1.02);
	n = c.own_ns - 100000000ull;
	cr_assert(sw_tsc_cal_adopt(&c, t, n));
	usleep(SW_CAL_MIN_NS / 1000 + 5000);
	sw_tsc_cal_sample(&c);
	cr_assert(c.ref_bad, "the wrong reference was kept");
	cr_assert_eq(c.ref_ns, c.own_ns, "the own pair is the reference again");
}
