package io.warmstream.trainer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.warmstream.platform.config.SettingChecks;
import jakarta.annotation.PostConstruct;

import java.util.ArrayList;
import java.util.List;

import static io.warmstream.platform.config.SettingChecks.present;

/** The paper's grid each job draws from by its seed ({@code warm.trainer.planner.grid.*}): comma-separated or YAML lists. */
@ConfigurationProperties(GridProperties.PREFIX)
public class GridProperties {

    public static final String PREFIX = "warm.trainer.planner.grid";

    private List<String> learningRates;
    private List<String> dropouts;

    @PostConstruct
    void check() {
        numbers(PREFIX + ".learning-rates", learningRates);
        numbers(PREFIX + ".dropouts", dropouts);
    }

    public List<Double> learningRateValues() {
        return numbers(PREFIX + ".learning-rates", learningRates);
    }

    public List<Double> dropoutValues() {
        return numbers(PREFIX + ".dropouts", dropouts);
    }

    public List<String> getLearningRates() { return learningRates; }
    public void setLearningRates(List<String> learningRates) { this.learningRates = learningRates; }
    public List<String> getDropouts() { return dropouts; }
    public void setDropouts(List<String> dropouts) { this.dropouts = dropouts; }

    private static List<Double> numbers(String key, List<String> values) {
        List<Double> out = new ArrayList<>();
        for (String v : present(key, values)) {
            for (String part : v.replace("[", "").replace("]", "").split(",")) {
                if (!part.isBlank()) {
                    try {
                        out.add(Double.valueOf(part.trim()));
                    } catch (NumberFormatException e) {
                        throw SettingChecks.bad(key, "must be numbers", "'" + part.trim() + "'");
                    }
                }
            }
        }
        return out;
    }
}
