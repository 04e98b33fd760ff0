# Collector unit tests: one binary per unit, linked with swcollect.
sw_add_test(test_table SOURCES test_table.c LIBS swcollect)
sw_add_test(test_decode SOURCES test_decode.c LIBS swcollect)
sw_add_test(test_trace SOURCES test_trace.c LIBS swcollect)
sw_add_test(test_segment SOURCES test_segment.c LIBS swcollect)
sw_add_test(test_engine SOURCES test_engine.c LIBS swcollect)
sw_add_test(test_cli SOURCES test_cli.c LIBS swcollect)
