// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The tracepoints of the "mbuf" event group (trace.h), instantiated here
 * once for the whole module. Built only with CONFIG_MBUFCOMPAT_TRACEPOINTS.
 */
#include "internal.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

/*
 * On while any fast-path KPI event has a probe (see trace.h). The
 * tracepoint core calls the hooks under its mutex, when an event gets
 * its first probe and when it loses its last, so the key counts the
 * events that have probes.
 */
DEFINE_STATIC_KEY_FALSE(mbuf_trace_kpi_key);

int mbuf_trace_kpi_reg(void)
{
	static_branch_inc(&mbuf_trace_kpi_key);
	return 0;
}

void mbuf_trace_kpi_unreg(void)
{
	static_branch_dec(&mbuf_trace_kpi_key);
}
