/* version: the suite's version, shown by --version and sent as part of
 * the User-Agent. */
#ifndef V6OPS_VERSION_H
#define V6OPS_VERSION_H

#define V6OPS_VERSION "0.2.0"

#endif
