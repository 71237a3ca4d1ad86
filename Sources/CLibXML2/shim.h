#ifndef RVUIMPORT_CLIBXML2_SHIM_H
#define RVUIMPORT_CLIBXML2_SHIM_H
// libxml2 pulls in the system ICU headers when built with ICU support, and those clash with the
// ICU that Foundation ships. Nothing here needs ICU, so switch it off before the other headers.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#endif
