package io.warmstream.testkit.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.naming.NameUtils;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The keys a service's {@code @ConfigurationProperties} beans bind (one per public setter, {@code prefix.*} for a map
 * of raw client settings) and their defaults as the service starts with nothing overridden: the value its
 * {@code application.yml} gives, else the bean's own. Used by the tests that hold the READMEs to the beans.
 */
public final class BoundSettings {

    /** One key: its default as written ({@code null}: none), and the type the bean reads it as. */
    public record Setting(String key, String defaultValue, Class<?> type) {
        public boolean isMap() {
            return key.endsWith(".*");
        }
    }

    private BoundSettings() {
    }

    /** Every key the {@code beans} bind, in their order, read in {@code context} (the service's file, no overrides). */
    public static Map<String, Setting> of(ApplicationContext context, Collection<Class<?>> beans) {
        Map<String, Setting> out = new LinkedHashMap<>();
        for (Class<?> bean : beans) {
            String prefix = prefix(bean);
            for (Method setter : bean.getMethods()) {
                if (Modifier.isStatic(setter.getModifiers()) || !setter.getName().startsWith("set")
                        || setter.getName().length() == 3 || setter.getParameterCount() != 1) {
                    continue;
                }
                String property = setter.getName().substring(3);
                String key = prefix + "." + NameUtils.hyphenate(NameUtils.decapitalize(property));
                Class<?> type = setter.getParameterTypes()[0];
                if (Map.class.isAssignableFrom(type)) {
                    out.put(key + ".*", new Setting(key + ".*", null, type));
                } else {
                    out.put(key, new Setting(key, defaultOf(context, bean, property, key), type));
                }
            }
        }
        return out;
    }

    /** The bean's prefix; a nested bean's is under its enclosing bean's, as Micronaut binds it. */
    static String prefix(Class<?> bean) {
        ConfigurationProperties annotation = bean.getAnnotation(ConfigurationProperties.class);
        if (annotation == null) {
            throw new IllegalArgumentException(bean.getName() + " is not a @ConfigurationProperties bean");
        }
        Class<?> outer = bean.getEnclosingClass();
        return outer != null && outer.isAnnotationPresent(ConfigurationProperties.class)
                ? prefix(outer) + "." + annotation.value() : annotation.value();
    }

    private static String defaultOf(ApplicationContext context, Class<?> bean, String property, String key) {
        Optional<String> fromFile = context.getEnvironment().getProperty(key, String.class);
        if (fromFile.isPresent()) {
            return fromFile.get();
        }
        Object value = getter(bean, property).map(g -> invoke(g, context.getBean(bean))).orElse(null);
        return value == null ? null : String.valueOf(value);
    }

    static Optional<Method> getter(Class<?> bean, String property) {
        for (String name : new String[] {"get" + property, "is" + property}) {
            try {
                return Optional.of(bean.getMethod(name));
            } catch (NoSuchMethodException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + getter, e);
        }
    }
}
