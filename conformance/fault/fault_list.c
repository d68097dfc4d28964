/* Prints the fault table, one fault a line, tab-separated:
 *   name  mechanism  caught_by (checker --filter)  the rule it breaks
 * fault_test reads it so that the table in cf_faults.c stays the only list of faults. */
#include <stdio.h>

#include "conformance/fault/cf_faults.h"

int main(void)
{
    for (int i = 0; i < CF_FAULT_COUNT; i++)
        printf("%s\t%s\t%s\t%s\n", cf_faults[i].name, cf_faults[i].mechanism,
               cf_faults[i].caught_by, cf_faults[i].breaks);
    return ferror(stdout) ? 1 : 0;
}
