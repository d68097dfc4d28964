/* The width of a cache line on the machines shmlab runs on (x86-64, ARMv7 and ARMv8): the
 * unit in which cores share memory. Words that two processes write must lie a line apart,
 * or each write takes the line from the other side; what a message moves should fill whole
 * lines, so that no access straddles two. */
#ifndef SHMLAB_SHL_CACHE_LINE_H
#define SHMLAB_SHL_CACHE_LINE_H

#define SHL_CACHE_LINE 64

#endif
