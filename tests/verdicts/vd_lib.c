/*
 * vd_lib.c - one of the shared objects the library-loading scenario
 * dlopen()s (built VD_LIBS times with a different VD_ID). Each carries
 * 1024 functions and a table of pointers to them (the relocations a real
 * library has), and a constructor that builds a table, as C++ static
 * initialisers do: dlopen() runs it, so its time is loading time too.
 */
#define VD_CAT(a, b) a##b
#define VD_FN(n) long VD_CAT(vd_fn_, n)(long x) { return x * (n + VD_ID) + 1; }
#define VD_R4(b) VD_FN(b##0) VD_FN(b##1) VD_FN(b##2) VD_FN(b##3)
#define VD_R16(b) VD_R4(b##0) VD_R4(b##1) VD_R4(b##2) VD_R4(b##3)
#define VD_P4(b) &VD_CAT(vd_fn_, b##0), &VD_CAT(vd_fn_, b##1), \
		 &VD_CAT(vd_fn_, b##2), &VD_CAT(vd_fn_, b##3),
#define VD_P16(b) VD_P4(b##0) VD_P4(b##1) VD_P4(b##2) VD_P4(b##3)
#define VD_R64(b) VD_R16(b##0) VD_R16(b##1) VD_R16(b##2) VD_R16(b##3)
#define VD_P64(b) VD_P16(b##0) VD_P16(b##1) VD_P16(b##2) VD_P16(b##3)

/* 1024 functions: vd_fn_10000 ... vd_fn_43333 (digits 0-3 after the first). */
VD_R64(1) VD_R64(2) VD_R64(3) VD_R64(4)

long (*const vd_table[])(long) = {VD_P64(1) VD_P64(2) VD_P64(3) VD_P64(4)};

static unsigned vd_init_table[16384];

__attribute__((constructor)) static void vd_init(void)
{
	unsigned x = VD_ID;
	for (unsigned round = 0; round < 32; round++)
		for (unsigned i = 0; i < sizeof(vd_init_table) / sizeof(vd_init_table[0]); i++)
			vd_init_table[i] = x = x * 1103515245u + 12345u + vd_init_table[i];
}

long vd_id(void)
{
	long sum = 0;
	for (unsigned i = 0; i < sizeof(vd_table) / sizeof(vd_table[0]); i++)
		sum += vd_table[i](VD_ID);
	return sum + vd_init_table[VD_ID];
}
