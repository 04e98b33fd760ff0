/*
 * test_robust_security.c - hostile places and programs (issue 4,
 * criterion 1): a planted symlink or a foreign or open directory where
 * the segments go, a planted link and a garbage file where a segment is
 * about to be created, a setuid program, a static program.
 *
 * The directory cases run as the unprivileged user `nobody`, whose
 * /dev/shm/syswatch-65534 the test may plant things in without disturbing
 * anyone's real sessions (root's /dev/shm/syswatch-0 is in use by other
 * tests). The tests must run as root to switch users and make setuid
 * files; otherwise they are skipped (cr_skip_test, with the reason).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "robust.h"

static uid_t nobody_uid;
static gid_t nobody_gid;
static char userdir[128]; /* /dev/shm/syswatch-<nobody> */

/* root, and a user nobody; else say why the test is skipped. */
static int need_root_and_nobody(void)
{
	if (geteuid() != 0) {
		cr_skip_test("needs root (to run as nobody and make setuid files)");
	}
	struct passwd *pw = getpwnam("nobody");
	if (pw == NULL) {
		cr_skip_test("no user 'nobody'");
	}
	nobody_uid = pw->pw_uid;
	nobody_gid = pw->pw_gid;
	snprintf(userdir, sizeof userdir, "/dev/shm/syswatch-%u", (unsigned)nobody_uid);
	return 0;
}

static void remove_userdir(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", userdir); /* a link itself, not its target */
	e2e_sh_quiet(cmd);
}

/* Number of entries of a directory (-1: cannot read it). */
static int dir_entries(const char *path)
{
	DIR *d = opendir(path);
	if (d == NULL)
		return -1;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* The lines of a file, for messages. */
static char *text_of(const char *path)
{
	char *s = rb_slurp(path);
	return s ? s : strdup("");
}

/* ---- the per-user directory -------------------------------------------- */

enum plant { PLANT_SYMLINK, PLANT_FOREIGN, PLANT_OPEN_MODE };

static const char *plant_name(enum plant p)
{
	return p == PLANT_SYMLINK   ? "a symlink to a directory of nobody's"
	       : p == PLANT_FOREIGN ? "a directory of root's, mode 0700"
				    : "nobody's own directory with mode 0755";
}

/* Make the per-user directory of nobody hostile; target gets the link's
 * target (a real directory nobody could write to). */
static void plant_userdir(enum plant p, const char *tmp, char *target, size_t cap)
{
	remove_userdir();
	snprintf(target, cap, "%s/target", tmp);
	cr_assert_eq(mkdir(target, 0700), 0);
	cr_assert_eq(chown(target, nobody_uid, nobody_gid), 0);
	switch (p) {
	case PLANT_SYMLINK:
		cr_assert_eq(symlink(target, userdir), 0);
		break;
	case PLANT_FOREIGN:
		cr_assert_eq(mkdir(userdir, 0700), 0);
		break;
	case PLANT_OPEN_MODE:
		cr_assert_eq(mkdir(userdir, 0755), 0);
		cr_assert_eq(chmod(userdir, 0755), 0);
		cr_assert_eq(chown(userdir, nobody_uid, nobody_gid), 0);
		break;
	}
}

/* The place is as planted: not followed, not repaired, nothing inside. */
static void expect_untouched(enum plant p, const char *target)
{
	struct stat st;
	cr_expect_eq(lstat(userdir, &st), 0, "%s disappeared", userdir);
	if (p == PLANT_SYMLINK)
		cr_expect(S_ISLNK(st.st_mode), "%s is no longer the planted link", userdir);
	else
		cr_expect(S_ISDIR(st.st_mode) && dir_entries(userdir) == 0,
			  "something was created in %s", userdir);
	cr_expect_eq(dir_entries(target), 0, "the link's target %s was written to: followed",
		     target);
}

/* One line on stderr, from syswatch, naming the directory. */
static void expect_one_clear_line(const char *who, const char *errpath)
{
	char *e = text_of(errpath);
	int lines = rb_count_lines(e);
	printf("%s said: %s", who, *e ? e : "(nothing)\n");
	cr_expect_eq(lines, 1, "%s: %d lines on stderr, expected one", who, lines);
	cr_expect(strncmp(e, "syswatch", 8) == 0, "%s: the message does not start with syswatch",
		  who);
	cr_expect(strstr(e, userdir) != NULL, "%s: the message does not name %s", who, userdir);
	free(e);
}

static void hostile_userdir_run(enum plant p)
{
	if (need_root_and_nobody() != 0)
		return;
	char tmp[4096], target[4200], err[4200], notes[4200];
	cr_assert_eq(rb_tmpdir(tmp, sizeof tmp, "userdir"), 0);
	plant_userdir(p, tmp, target, sizeof target);
	printf("\n%s is %s\n", userdir, plant_name(p));
	snprintf(err, sizeof err, "%s/run.err", tmp);
	snprintf(notes, sizeof notes, "%s/notes", tmp);
	int nfd = open(notes, O_WRONLY | O_CREAT, 0666);
	cr_assert_geq(nfd, 0);
	fchown(nfd, nobody_uid, nobody_gid);
	close(nfd);

	const char *sw = e2e_syswatch();
	cr_assert_not_null(sw);
	char *argv[] = {(char *)sw, "run", "--", (char *)rb_bin("rb_leaf"), "3", notes, NULL};
	const char *env[] = {"SYSWATCH_SESSION", "SYSWATCH_ROOT_PID", NULL};
	struct rb_cmd cmd = {.argv = argv, .env = env, .err = err, .uid = nobody_uid,
			     .gid = nobody_gid};
	int st = rb_run(&cmd, 60000);
	char *n = text_of(notes);
	printf("syswatch run exited %d; the program %s\n", st,
	       strstr(n, "pid-leaf") ? "ran (untraced)" : "was not started");
	free(n);
	cr_expect_neq(st, 0, "syswatch run went ahead with %s", plant_name(p));
	cr_expect_lt(st, 128, "syswatch run died of signal %d", st - 128);
	expect_one_clear_line("syswatch run", err);
	expect_untouched(p, target);
	remove_userdir();
	e2e_rmtree(tmp);
}

/* Plain LD_PRELOAD: the shim must leave the program alone (it runs, with
 * its own output and status) and say once why it does not trace. */
static void hostile_userdir_preload(enum plant p)
{
	if (need_root_and_nobody() != 0)
		return;
	char tmp[4096], target[4200], err[4200], out[4200], notes[4200];
	cr_assert_eq(rb_tmpdir(tmp, sizeof tmp, "userdir-pre"), 0);
	plant_userdir(p, tmp, target, sizeof target);
	printf("\n%s is %s (plain LD_PRELOAD)\n", userdir, plant_name(p));
	snprintf(err, sizeof err, "%s/run.err", tmp);
	snprintf(out, sizeof out, "%s/run.out", tmp);
	snprintf(notes, sizeof notes, "%s/notes", tmp);
	int nfd = open(notes, O_WRONLY | O_CREAT, 0666);
	cr_assert_geq(nfd, 0);
	fchown(nfd, nobody_uid, nobody_gid);
	close(nfd);
	char pre[4200];
	snprintf(pre, sizeof pre, "LD_PRELOAD=%s", rb_shim());
	const char *env[] = {pre, "SYSWATCH_SESSION", "SYSWATCH_ROOT_PID", NULL};
	char *argv[] = {(char *)rb_bin("rb_leaf"), "3", notes, NULL};
	struct rb_cmd cmd = {.argv = argv, .env = env, .out = out, .err = err,
			     .uid = nobody_uid, .gid = nobody_gid};
	int st = rb_run(&cmd, 60000);
	cr_expect_eq(st, 0, "the program exited %d under a refusing shim", st);
	char *n = text_of(notes);
	cr_expect(strstr(n, "pid-leaf") != NULL, "the program did not run to its end");
	free(n);
	expect_one_clear_line("the shim", err);
	expect_untouched(p, target);
	remove_userdir();
	e2e_rmtree(tmp);
}

Test(userdir, symlink_is_refused_by_syswatch_run, .timeout = 60)
{
	hostile_userdir_run(PLANT_SYMLINK);
}

Test(userdir, foreign_directory_is_refused_by_syswatch_run, .timeout = 60)
{
	hostile_userdir_run(PLANT_FOREIGN);
}

Test(userdir, open_mode_directory_is_refused_by_syswatch_run, .timeout = 60)
{
	hostile_userdir_run(PLANT_OPEN_MODE);
}

Test(userdir, symlink_is_refused_by_the_shim, .timeout = 60)
{
	hostile_userdir_preload(PLANT_SYMLINK);
}

Test(userdir, foreign_directory_is_refused_by_the_shim, .timeout = 60)
{
	hostile_userdir_preload(PLANT_FOREIGN);
}

Test(userdir, open_mode_directory_is_refused_by_the_shim, .timeout = 60)
{
	hostile_userdir_preload(PLANT_OPEN_MODE);
}

/* ---- a planted segment name --------------------------------------------- */

struct planted {
	char tmp[4096], target[4200], notes[4200], err[4200];
	struct rb_report rep;
	int status, leaf_pid, events;
	char *target_after;
};

/*
 * rb_plant (under syswatch run) puts, where its child's segment is about
 * to be created, a link to TARGET (<pid>.0.seg) and a file of garbage
 * (<pid>.1.seg). TARGET is watched with inotify: any open of it by the
 * shim or the collector shows.
 */
static void planted_run(struct planted *p)
{
	cr_assert_eq(rb_tmpdir(p->tmp, sizeof p->tmp, "plant"), 0);
	snprintf(p->target, sizeof p->target, "%s/precious", p->tmp);
	snprintf(p->notes, sizeof p->notes, "%s/notes", p->tmp);
	cr_assert_eq(rb_write_file(p->target, "precious data, not a segment\n"), 0);
	int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	cr_assert_geq(in, 0);
	cr_assert_geq(inotify_add_watch(in, p->target,
					IN_OPEN | IN_ACCESS | IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF),
		      0);
	char *argv[] = {(char *)rb_bin("rb_plant"), p->target, (char *)rb_bin("rb_leaf"), "25",
			p->notes, NULL};
	p->status = rb_syswatch(p->tmp, "run", NULL, argv, NULL, &p->rep, 60000);
	snprintf(p->err, sizeof p->err, "%s/run.err", p->tmp);
	char buf[4096] __attribute__((aligned(8)));
	ssize_t n = read(in, buf, sizeof buf);
	p->events = n > 0 ? (int)n : 0;
	close(in);
	p->target_after = text_of(p->target);
	char *s = text_of(p->notes);
	char *l = strstr(s, "pid-leaf ");
	p->leaf_pid = l ? atoi(l + 9) : -1;
	cr_assert(strstr(s, "planted 1") != NULL, "rb_plant could not plant: %s", s);
	free(s);
}

Test(planted, link_and_garbage_in_place_of_a_segment_are_never_followed, .timeout = 60)
{
	static struct planted p;
	planted_run(&p);
	if (p.status != 0)
		e2e_dump(p.err);
	cr_expect_eq(p.status, 0, "syswatch run exited %d", p.status);
	cr_expect_eq(p.events, 0, "the link's target was opened, read or changed: followed");
	cr_expect_str_eq(p.target_after, "precious data, not a segment\n");
	cr_assert_gt(p.leaf_pid, 0, "the child did not run");
	cr_assert_geq(p.rep.nprocs, 0, "no report");
	/* the child's calls are all there, from the segment it did create */
	cr_expect_eq(rb_calls(&p.rep.table, "getcwd"), 25, "getcwd: %lld, the child made 25",
		     rb_calls(&p.rep.table, "getcwd"));
	cr_expect_not_null(rb_proc_find(&p.rep, p.leaf_pid), "the child %d is not in the report",
			   p.leaf_pid);
	free(p.target_after);
	e2e_rmtree(p.tmp);
}

Test(planted, link_and_garbage_in_place_of_a_segment_are_reported, .timeout = 60)
{
	static struct planted p;
	planted_run(&p);
	char *e = text_of(p.err);
	char n0[64], n1[64];
	snprintf(n0, sizeof n0, "%d.0.seg", p.leaf_pid);
	snprintf(n1, sizeof n1, "%d.1.seg", p.leaf_pid);
	printf("\nsyswatch's stderr:\n%s\nwarnings (%d):\n", e, p.rep.nwarnings);
	for (int i = 0; i < p.rep.nwarnings; i++)
		printf("  %s\n", p.rep.warnings[i]);
	const char *w0[] = {n0, NULL}, *w1[] = {n1, NULL};
	cr_expect(strstr(e, n0) || rb_warning_has(&p.rep, w0),
		  "nothing says that %s (a symlink) was refused", n0);
	cr_expect(strstr(e, n1) || rb_warning_has(&p.rep, w1),
		  "nothing says that %s (garbage) was refused", n1);
	free(e);
	free(p.target_after);
	e2e_rmtree(p.tmp);
}

/* ---- a setuid program ---------------------------------------------------- */

struct suid {
	char tmp[4096], sess[4200];
	char prog[4200], linked[4200], linked_plain[4200];
};

static void copy_file(const char *from, const char *to, mode_t mode)
{
	char cmd[9000];
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
	cr_assert_eq(e2e_sh_quiet(cmd), 0, "cannot copy %s", from);
	cr_assert_eq(chown(to, 0, 0), 0);
	cr_assert_eq(chmod(to, mode), 0);
}

static void suid_setup(struct suid *s)
{
	cr_assert_eq(rb_tmpdir(s->tmp, sizeof s->tmp, "suid"), 0);
	snprintf(s->sess, sizeof s->sess, "%s/session", s->tmp);
	cr_assert_eq(mkdir(s->sess, 0700), 0);
	cr_assert_eq(chown(s->sess, nobody_uid, nobody_gid), 0);
	snprintf(s->prog, sizeof s->prog, "%s/rb_suid", s->tmp);
	snprintf(s->linked, sizeof s->linked, "%s/rb_suid_linked", s->tmp);
	snprintf(s->linked_plain, sizeof s->linked_plain, "%s/rb_linked_plain", s->tmp);
	copy_file(rb_bin("rb_suid"), s->prog, 04755);
	copy_file(rb_bin("rb_suid_linked"), s->linked, 04755);
	copy_file(rb_bin("rb_suid_linked"), s->linked_plain, 0755);
}

/* Run as nobody; stdout and stderr into tmp/<tag>.out/.err. */
static int as_nobody(const struct suid *s, const char *tag, char *const *argv,
		     const char *const *env, char **out, char **err)
{
	char o[4300], e[4300];
	snprintf(o, sizeof o, "%s/%s.out", s->tmp, tag);
	snprintf(e, sizeof e, "%s/%s.err", s->tmp, tag);
	struct rb_cmd cmd = {.argv = argv, .env = env, .out = o, .err = e, .uid = nobody_uid,
			     .gid = nobody_gid};
	int st = rb_run(&cmd, 60000);
	*out = text_of(o);
	*err = text_of(e);
	printf("  %-28s exit %d, stdout: %s", tag, st, **out ? *out : "(nothing)\n");
	if (**err)
		printf("  %-28s stderr: %s", "", *err);
	return st;
}

/* Whether nobody's /dev/shm/syswatch-<uid> exists and holds anything
 * (the tests remove it first, and nothing else runs as nobody). */
static int shm_traces_of_nobody(void)
{
	return dir_entries(userdir) > 0;
}

Test(setuid, shim_stays_inert_in_a_setuid_program, .timeout = 120)
{
	if (need_root_and_nobody() != 0)
		return;
	static struct suid s;
	suid_setup(&s);
	remove_userdir();
	char pre[4200], sessv[4300];
	snprintf(pre, sizeof pre, "LD_PRELOAD=%s", rb_shim());
	snprintf(sessv, sizeof sessv, "SYSWATCH_SESSION=%s", s.sess);
	const char *clean[] = {"LD_PRELOAD", "SYSWATCH_SESSION", "SYSWATCH_ROOT_PID", NULL};
	const char *preload_session[] = {pre, sessv, "SYSWATCH_ROOT_PID", NULL};
	const char *preload_auto[] = {pre, "SYSWATCH_SESSION", "SYSWATCH_ROOT_PID", NULL};
	const char *session_only[] = {"LD_PRELOAD", sessv, "SYSWATCH_ROOT_PID", NULL};
	char *o, *e;
	printf("\nsetuid-root programs run as nobody:\n");

	/* the reference: no shim anywhere */
	char *a1[] = {s.prog, "10", NULL};
	cr_assert_eq(as_nobody(&s, "plain", a1, clean, &o, &e), 0);
	char *ref = o;
	free(e);
	cr_assert(strstr(ref, "uid 65534 euid 0") != NULL || nobody_uid != 65534,
		  "not setuid-root as nobody: %s", ref);

	/* LD_PRELOAD with a session, and LD_PRELOAD alone (the shim would
	 * start a collector): same output, nothing on stderr, nothing created */
	cr_expect_eq(as_nobody(&s, "LD_PRELOAD + session", a1, preload_session, &o, &e), 0);
	cr_expect_str_eq(o, ref);
	cr_expect_str_eq(e, "");
	free(o);
	free(e);
	cr_expect_eq(as_nobody(&s, "LD_PRELOAD, no session", a1, preload_auto, &o, &e), 0);
	cr_expect_str_eq(o, ref);
	cr_expect_str_eq(e, "");
	free(o);
	free(e);
	cr_expect_eq(dir_entries(s.sess), 0, "a segment was created for a setuid program");
	cr_expect(!shm_traces_of_nobody(), "the setuid program left something in %s", userdir);

	/* linked against the shim: the shim is loaded, AT_SECURE keeps it inert */
	char *a2[] = {s.linked, "10", NULL};
	cr_expect_eq(as_nobody(&s, "linked shim, setuid", a2, session_only, &o, &e), 0);
	cr_expect(strstr(o, "shim mapped: yes") != NULL,
		  "the loader did not load the linked shim: the AT_SECURE path is untested");
	cr_expect(strstr(o, "uid 65534 euid 0") != NULL && strstr(o, "getcwd ok 10 of 10"));
	cr_expect_str_eq(e, "");
	free(o);
	free(e);
	cr_expect_eq(dir_entries(s.sess), 0,
		     "the shim created a segment inside a setuid program (AT_SECURE ignored)");

	/* control: the same binary without the setuid bit is traced */
	char *a3[] = {s.linked_plain, "10", NULL};
	cr_expect_eq(as_nobody(&s, "linked shim, not setuid", a3, session_only, &o, &e), 0);
	free(o);
	free(e);
	cr_expect_gt(dir_entries(s.sess), 0,
		     "control: without setuid the linked shim made no segment either, so the "
		     "check above proves nothing");

	free(ref);
	remove_userdir();
	e2e_rmtree(s.tmp);
}

Test(setuid, syswatch_run_on_a_setuid_program_leaves_it_working, .timeout = 120)
{
	if (need_root_and_nobody() != 0)
		return;
	static struct suid s;
	suid_setup(&s);
	remove_userdir();
	const char *clean[] = {"LD_PRELOAD", "SYSWATCH_SESSION", "SYSWATCH_ROOT_PID", NULL};
	char *o, *e, *ref;
	printf("\nsyswatch run, as nobody, on a setuid-root program:\n");
	char *a1[] = {s.prog, "10", NULL};
	cr_assert_eq(as_nobody(&s, "plain", a1, clean, &ref, &e), 0);
	free(e);
	const char *sw = e2e_syswatch();
	char *a2[] = {(char *)sw, "run", "--", s.prog, "10", NULL};
	int st = as_nobody(&s, "syswatch run", a2, clean, &o, &e);
	cr_expect_eq(st, 0, "syswatch run exited %d", st);
	cr_expect_str_eq(o, ref, "the program's output changed under syswatch run");
	free(o);
	free(e);
	free(ref);
	remove_userdir();
	e2e_rmtree(s.tmp);
}

/* ---- a static program ----------------------------------------------------- */

Test(static_binary, syswatch_run_says_it_cannot_see_it, .timeout = 60)
{
	char tmp[4096], marker[4200], out[4200], err[4200], json[4200];
	cr_assert_eq(rb_tmpdir(tmp, sizeof tmp, "static"), 0);
	snprintf(marker, sizeof marker, "%s/ran", tmp);
	snprintf(out, sizeof out, "%s/run.out", tmp);
	snprintf(err, sizeof err, "%s/run.err", tmp);
	snprintf(json, sizeof json, "%s/run.json", tmp);
	const char *sw = e2e_syswatch();
	cr_assert_not_null(sw);

	/* the program itself works */
	char *plain[] = {(char *)rb_bin("rb_static"), marker, NULL};
	struct rb_cmd p = {.argv = plain};
	cr_assert_eq(rb_run(&p, 30000), 0);
	cr_assert_eq(access(marker, F_OK), 0);
	unlink(marker);

	/* text report */
	char *argv[] = {(char *)sw, "run", "--", (char *)rb_bin("rb_static"), marker, NULL};
	struct rb_cmd c = {.argv = argv, .out = out, .err = err};
	int st = rb_run(&c, 30000);
	char *e = text_of(err), *o = text_of(out);
	printf("\nsyswatch run -- rb_static: exit %d, stderr: %s", st, e);
	cr_expect_neq(st, 0, "syswatch run exited 0 on a static program");
	cr_expect_lt(st, 128);
	cr_expect_eq(rb_count_lines(e), 1, "stderr has %d lines, expected one", rb_count_lines(e));
	cr_expect(strstr(e, "static") != NULL, "the message does not say the program is static");
	cr_expect(strstr(e, "% time") == NULL && strstr(e, "total") == NULL,
		  "a table was printed anyway");
	cr_expect_str_eq(o, "", "syswatch printed on stdout");
	free(e);
	free(o);

	/* JSON report: no empty report either */
	char *jargv[] = {(char *)sw, "run", "--format", "json", "-o", json, "--",
			 (char *)rb_bin("rb_static"), marker, NULL};
	struct rb_cmd j = {.argv = jargv, .err = err};
	st = rb_run(&j, 30000);
	cr_expect_neq(st, 0);
	struct stat sb;
	int has_json = stat(json, &sb) == 0 && sb.st_size > 0;
	cr_expect(!has_json, "an (empty) JSON report was written for a static program");
	e2e_rmtree(tmp);
}
