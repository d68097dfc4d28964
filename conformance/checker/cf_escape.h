/* Text written into the report formats, escaped for each: a JSON string (with its quotes),
 * XML or HTML character data and attribute values, a Markdown table cell. */
#ifndef SHMLAB_CF_ESCAPE_H
#define SHMLAB_CF_ESCAPE_H

#include <stdio.h>

void cf_json_string(FILE *out, const char *s);
void cf_xml_text(FILE *out, const char *s);
void cf_markdown_cell(FILE *out, const char *s);

#endif
