/*
 * abi.h - the shared-memory segment: the only contract between the shim
 * (preload/, writer) and the collector (collector/, reader).
 *
 * One segment per process image (a new one after fork and after exec). It
 * holds offsets, never pointers; every size the reader needs is in the
 * header, and the reader checks all of them (DESIGN.md, decision 4).
 *
 *   [sw_seg_header][slot 0][slot 1]...[slot nslots-1]
 *   slot: [sw_slot_header][sw_counter x nrows][ring bytes x ring_size]
 *
 * Concurrency: a slot has exactly one writing thread while ACTIVE. Counters
 * are written with relaxed stores (the reader may see a count one call
 * behind, never a torn value). The ring is single-producer single-consumer:
 * the producer publishes `head` with release order after writing the bytes,
 * the consumer publishes `tail` with release order after copying them out.
 */
#ifndef SYSWATCH_ABI_H
#define SYSWATCH_ABI_H

#include <stdint.h>

#define SW_SEG_MAGIC 0x3147455354415753ull /* "SWATSEG1" little-endian */
#define SW_ABI_VERSION 3u /* 2: cwd in the header; 3: a row per syscall */

#define SW_HIST_BUCKETS 48 /* log2 buckets of ticks: 2^47 ticks > 12 h */
#define SW_COMM_LEN 64
#define SW_EXE_LEN 256

/* Default and limits of the per-thread ring (SYSWATCH_RING_KB). */
#define SW_RING_DEFAULT (512u * 1024u)
#define SW_RING_MIN 4096u
#define SW_RING_MAX (1024u * 1024u)
#define SW_SLOTS_DEFAULT 512u
#define SW_SLOTS_MAX 8192u

/* Largest encoded event, including its length prefix. */
#define SW_EVENT_MAX 1400u
#define SW_PATH_MAX 1024u /* captured paths are cut to this many bytes */
#define SW_SOCKADDR_MAX 128u /* captured socket addresses, at most */

enum sw_clock {
	SW_CLOCK_MONOTONIC = 1, /* ticks are CLOCK_MONOTONIC nanoseconds */
	SW_CLOCK_TSC = 2,       /* ticks are invariant-TSC cycles */
};

enum sw_seg_state {
	SW_SEG_RUNNING = 1,
	SW_SEG_EXITED = 2,   /* the process called exit/_exit */
	SW_SEG_EXECED = 3,   /* the image was replaced; a new segment follows */
	SW_SEG_RELEASED = 4, /* the collector has read it all; may be removed */
};

enum sw_slot_state {
	SW_SLOT_FREE = 0,   /* never used, or emptied by the collector */
	SW_SLOT_ACTIVE = 1, /* owned by a live thread */
	SW_SLOT_EXITED = 2, /* its thread ended; collector harvests, frees */
};

/* Why an event was not written; counters are kept in every case. */
enum sw_drop_cause {
	SW_DROP_RING_FULL = 0, /* the collector fell behind */
	SW_DROP_TOO_BIG = 1,   /* larger than the ring allows */
	SW_DROP_JUMPED = 2,    /* a signal handler left the shim with
				  siglongjmp while it recorded: that call's
				  event, and the calls the thread made
				  before the shim noticed, are lost */
	SW_DROP_NCAUSES = 4,
};

/* What the shim could see (segment header reserved[2], Process.mode). */
enum sw_mode {
	SW_MODE_UNKNOWN = 0,  /* older shims and traces */
	SW_MODE_WRAPPERS = 1, /* libc entry points only */
	SW_MODE_COMPLETE = 2, /* every syscall, through Syscall User Dispatch */
};

struct sw_seg_header {
	uint64_t magic;            /* SW_SEG_MAGIC */
	uint32_t abi_version;      /* SW_ABI_VERSION */
	uint32_t header_size;      /* sizeof(struct sw_seg_header) */
	uint32_t slot_header_size; /* sizeof(struct sw_slot_header) */
	uint32_t counter_size;     /* sizeof(struct sw_counter) */
	uint32_t nrows;            /* counters per slot (SW_ROW_COUNT of writer) */
	uint32_t nslots;           /* thread slots in this segment */
	uint32_t ring_size;        /* bytes per ring, a power of two */
	uint32_t slot_size;        /* bytes per slot, a multiple of 4096 (the
				      shim maps each slot on its own) */
	uint64_t slots_offset;     /* offset of slot 0 from the segment start */
	uint64_t segment_size;     /* total bytes of the segment */

	int32_t pid;          /* process id */
	int32_t ppid;         /* parent at creation */
	uint32_t epoch;       /* 0 at process start, +1 per exec */
	uint32_t clock;       /* enum sw_clock */
	uint64_t base_ticks;  /* ticks at segment creation; events are relative */
	uint64_t base_mono_ns; /* CLOCK_MONOTONIC at base_ticks */
	uint64_t base_real_ns; /* CLOCK_REALTIME at base_ticks */
	uint64_t proc_start;  /* /proc/PID/stat starttime (pid reuse check) */

	uint32_t state;         /* enum sw_seg_state, updated by the writer */
	int32_t exit_status;    /* exit()/_exit() argument when state EXITED */
	uint64_t end_ticks;     /* ticks at exit/exec, 0 while running */
	uint32_t slots_used;    /* high-water mark of claimed slots */
	uint32_t threads_lost;  /* threads that found no free slot */
	int32_t forked_child;   /* last child pid seen by fork (tree tracking) */
	uint32_t report_done;   /* set by the collector when it printed */
	int32_t collector_pid;  /* collector attached to this session, or 0 */
	uint32_t threads_nospace; /* threads that ran uncounted: their slot
				     could not be reserved (directory full) */
	uint32_t threads_nomap;   /* threads that ran uncounted: mapping their
				     slot was refused (address space limit) */
	int32_t slot_errno;       /* errno of the last such refusal, or 0
				     (with threads_nomap: was reserved[0]) */
	uint64_t reserved1;       /* was reserved[1]; unused */
	uint64_t mode;            /* enum sw_mode of the shim that wrote it
				     (was reserved[2]) */
	uint64_t reserved[1];     /* was reserved[3]; unused */
	char comm[SW_COMM_LEN]; /* argv[0] basename, NUL-terminated */
	char exe[SW_EXE_LEN];   /* /proc/self/exe, NUL-terminated, may be cut */
	char cwd[SW_PATH_MAX];  /* working directory at creation (getcwd),
				   NUL-terminated; "" if unknown or too long */
};

struct sw_counter {
	uint64_t calls;      /* completed calls */
	uint64_t errors;     /* calls that failed */
	uint64_t total;      /* ticks inside the call, summed */
	uint64_t min;        /* shortest timed call in ticks (0: none yet) */
	uint64_t max;        /* longest call in ticks */
	uint64_t untimed;    /* calls counted without their own time (implied
	                        by another call, e.g. opendir's fstat) */
	uint64_t hist[SW_HIST_BUCKETS]; /* calls by floor(log2(ticks)) + 1 */
};

struct sw_slot_header {
	uint32_t state;        /* enum sw_slot_state (atomic) */
	int32_t tid;           /* kernel thread id */
	uint32_t gen;          /* +1 each time the slot is claimed */
	uint32_t reserved0;
	uint64_t start_ticks;  /* when the thread claimed the slot */
	uint64_t end_ticks;    /* when it ended, 0 while running */
	uint64_t dropped[SW_DROP_NCAUSES]; /* events lost, by cause */
	uint64_t events;       /* events written to the ring */
	char name[16];         /* thread name at claim time */
	uint64_t pad0[2];
	uint64_t head __attribute__((aligned(64))); /* producer position */
	uint64_t pad1[7];
	uint64_t tail __attribute__((aligned(64))); /* consumer position */
	uint64_t pad2[7];
};

#endif
