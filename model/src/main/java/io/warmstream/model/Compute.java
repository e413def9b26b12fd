package io.warmstream.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where and in which precision a model runs. {@link #auto()} takes the first GPU when DJL reports one, else the CPU.
 *
 * @param device a DJL device
 * @param precision forward precision; FP16 is meant for GPUs (on a CPU it works but is slower than FP32)
 */
public record Compute(Device device, Precision precision) {

    private static final Logger LOG = LoggerFactory.getLogger(Compute.class);

    public Compute {
        if (device == null || precision == null) {
            throw new IllegalArgumentException("device and precision must be set");
        }
        if (precision == Precision.FP16 && !device.isGpu()) {
            LOG.warn("FP16 on {} runs, but slower than FP32: half precision pays off on GPUs", device);
        }
    }

    /** GPU 0 if the engine sees a GPU, else CPU; FP32. */
    public static Compute auto() {
        return new Compute(defaultDevice(), Precision.FP32);
    }

    /** GPU 0 if the engine sees a GPU, else CPU, with the given precision. */
    public static Compute auto(Precision precision) {
        return new Compute(defaultDevice(), precision);
    }

    public static Compute cpu() {
        return new Compute(Device.cpu(), Precision.FP32);
    }

    /**
     * From configuration strings: device "auto" | "cpu" | "gpu" | "gpu:N"; precision "fp32" | "fp16".
     * Asking for a GPU that the engine does not see is an error, not a silent fallback.
     */
    public static Compute of(String device, String precision) {
        return new Compute(parseDevice(device), Precision.parse(precision));
    }

    /** "cpu" or "gpu:N", for logs and reports. */
    public String deviceName() {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }

    public boolean halfPrecision() {
        return precision != Precision.FP32;
    }

    private static Device defaultDevice() {
        return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    private static Device parseDevice(String s) {
        String d = s == null ? "auto" : s.trim().toLowerCase(Locale.ROOT);
        if (d.equals("auto") || d.isEmpty()) {
            return defaultDevice();
        }
        if (d.equals("cpu")) {
            return Device.cpu();
        }
        if (d.equals("gpu") || d.startsWith("gpu:") || d.startsWith("cuda")) {
            int index = 0;
            int colon = d.indexOf(':');
            if (colon >= 0) {
                try {
                    index = Integer.parseInt(d.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad device \"" + s + "\": expected gpu:N");
                }
            }
            int gpus = Engine.getInstance().getGpuCount();
            if (index >= gpus) {
                throw new IllegalArgumentException("device \"" + s + "\" requested but the engine sees " + gpus + " GPU(s)");
            }
            return Device.gpu(index);
        }
        throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N; got \"" + s + "\"");
    }

    @Override
    public String toString() {
        return deviceName() + "/" + precision.name().toLowerCase(Locale.ROOT);
    }
}
