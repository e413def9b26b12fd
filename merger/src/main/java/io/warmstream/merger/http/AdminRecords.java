package io.warmstream.merger.http;

import io.warmstream.events.AdminAction;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Builds {@link AdminAction} records from the merger's state as the admin API sees it. */
public final class AdminRecords {

    private AdminRecords() {
    }

    /** The fields of the state an admin action can change. */
    public static Map<String, String> snapshot(StateView s) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("role", s.role());
        m.put("paused", String.valueOf(s.paused()));
        m.put("version", String.valueOf(s.version()));
        m.put("servedVersion", String.valueOf(s.servedVersion()));
        if (s.rollbackOf() != null) m.put("rollbackOf", String.valueOf(s.rollbackOf()));
        m.put("members", s.members() == null ? "" : s.members().stream().map(StateView.MemberView::jobId)
                .collect(Collectors.joining(",")));
        return m;
    }

    public static AdminAction action(String average, String principal, String action, Map<String, String> arguments,
                                     String reason, String outcome, int httpStatus, StateView before, StateView after,
                                     String remoteAddress) {
        return AdminAction.newBuilder()
                .setId(UUID.randomUUID().toString())
                .setService("merger")
                .setScope(average)
                .setPrincipal(principal)
                .setAction(action)
                .setArguments(arguments)
                .setReason(reason)
                .setOutcome(outcome)
                .setHttpStatus(httpStatus)
                .setBefore(snapshot(before))
                .setAfter(snapshot(after))
                .setTime(Instant.now())
                .setRemoteAddress(remoteAddress)
                .build();
    }
}
