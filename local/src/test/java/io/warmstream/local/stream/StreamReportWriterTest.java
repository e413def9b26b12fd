package io.warmstream.local.stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamReportWriterTest {

    @Test
    @SuppressWarnings("unchecked")
    void refusedCheckpointsAreListedWithTheirReason() throws Exception {
        // The committed CPU report, with one refusal added to its strategy.
        Map<String, Object> report = new ObjectMapper().readValue(
                Path.of("..", "eval", "results", "stream-cpu", "report.json").toFile(),
                new TypeReference<Map<String, Object>>() {});
        // Its one strategy, whichever the preset ran (the merger's default).
        Map<String, Object> run = (Map<String, Object>) ((Map<String, Object>) report.get("strategies")).values()
                .iterator().next();
        run.remove("rejected");
        assertFalse(StreamReportWriter.markdown(report).contains("Checkpoints the merger refused"),
                "no section without refusals");
        run.put("rejected", List.of(Map.of("jobId", "default-000004-x", "reason", "LMC_GUARD",
                "detail", "candidate accuracy 0.6484 | members' mean 0.7109")));
        String md = StreamReportWriter.markdown(report);
        assertTrue(md.contains("| default-000004-x | LMC_GUARD | candidate accuracy 0.6484 / members' mean 0.7109 |"),
                md);
    }
}
