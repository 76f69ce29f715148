// Runs ridal's own Kirchhoff kernel (GPR::kirchhoff_migration2d, ridal 0.5.0)
// without its crate dependencies, which this network cannot fetch.
// ridal_kirchhoff.py pastes the kernel's statement `let output: Vec<f32> = ...
// .collect();` from the PyPI sdist, unchanged, where @RIDAL_KERNEL@ stands. What
// it needs from ndarray and rayon is stood in for here:
// - `into_par_iter().map(..).collect()`: blocks of 4096 output pixels handed to
//   one std thread per logical CPU from a shared queue (rayon's default thread
//   count; the queue balances the rows' unequal cost, as rayon's stealing does);
// - `x_coords`, `z_coords` and `old_data` are plain slices and vectors, indexed
//   as ridal indexes its Array1s and its Vec<&f32>.
// The set-up that precedes the statement in ridal (coordinates, resolutions,
// old_data) is written out below from ridal's definitions, for a flat profile.
//
// usage: harness INPUT.f32 HEIGHT WIDTH DT_NS DX_M VELOCITY_M_PER_NS ANTENNA_MHZ REPETITIONS OUTPUT.f32
use std::io::{Read, Write};
use std::ops::Range;
use std::sync::Mutex;
use std::time::Instant;

struct Metadata {
    medium_velocity: f32,
}

struct Gpr {
    metadata: Metadata,
}

trait IntoParallelRange {
    fn into_par_iter(self) -> ParallelRange;
}

struct ParallelRange {
    range: Range<usize>,
}

impl IntoParallelRange for Range<usize> {
    fn into_par_iter(self) -> ParallelRange {
        ParallelRange { range: self }
    }
}

struct ParallelMap<F> {
    range: Range<usize>,
    f: F,
}

impl ParallelRange {
    fn map<F: Fn(usize) -> f32 + Sync>(self, f: F) -> ParallelMap<F> {
        ParallelMap { range: self.range, f }
    }
}

fn thread_count() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
}

impl<F: Fn(usize) -> f32 + Sync> ParallelMap<F> {
    fn collect(self) -> Vec<f32> {
        const BLOCK: usize = 4096;
        let start = self.range.start;
        let mut output = vec![0.0_f32; self.range.len()];
        {
            let queue = Mutex::new(output.chunks_mut(BLOCK).enumerate());
            let f = &self.f;
            std::thread::scope(|scope| {
                for _ in 0..thread_count() {
                    scope.spawn(|| loop {
                        let next = queue.lock().unwrap().next();
                        match next {
                            Some((block, values)) => {
                                for (i, value) in values.iter_mut().enumerate() {
                                    *value = f(start + block * BLOCK + i);
                                }
                            }
                            None => break,
                        }
                    });
                }
            });
        }
        output
    }
}

impl Gpr {
    // The body of ridal's kirchhoff_migration2d from its set-up to the kernel.
    fn kirchhoff_migration2d(&self, data: &[f32], height: usize, width: usize, dt_ns: f32, dx: f32, antenna_mhz: f32) -> Vec<f32> {
        let x_coords: Vec<f32> = (0..width).map(|i| i as f32 * dx).collect();
        let mut x_diff = 0_f32;
        for i in 1..width {
            x_diff += x_coords[i] - x_coords[i - 1];
        }
        x_diff /= (width - 1) as f32;
        let z_coords = vec![0.0_f32; width]; // flat profile: every trace at the highest point
        let t_diff = dt_ns;
        let z_diff = t_diff * self.metadata.medium_velocity;
        let logical_res = (antenna_mhz / self.metadata.medium_velocity) * (1e-9 * 1e6);
        let old_data = data.iter().collect::<Vec<&f32>>();
        // @RIDAL_KERNEL@
        output
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 10 {
        eprintln!("usage: {} INPUT.f32 HEIGHT WIDTH DT_NS DX_M VELOCITY_M_PER_NS ANTENNA_MHZ REPETITIONS OUTPUT.f32", args[0]);
        std::process::exit(2);
    }
    let number = |i: usize| -> f64 { args[i].parse().unwrap_or_else(|_| panic!("argument {} is not a number: {}", i, args[i])) };
    let (height, width) = (number(2) as usize, number(3) as usize);
    let (dt_ns, dx, velocity, antenna_mhz) = (number(4) as f32, number(5) as f32, number(6) as f32, number(7) as f32);
    let repetitions = number(8) as usize;
    let mut bytes = Vec::new();
    std::fs::File::open(&args[1]).expect("cannot open the input").read_to_end(&mut bytes).expect("cannot read the input");
    if bytes.len() != 4 * height * width {
        eprintln!("input holds {} bytes, expected {} (HEIGHT x WIDTH float32)", bytes.len(), 4 * height * width);
        std::process::exit(2);
    }
    let data: Vec<f32> = bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    let gpr = Gpr { metadata: Metadata { medium_velocity: velocity } };
    let mut seconds = Vec::new();
    let mut output = Vec::new();
    for _ in 0..repetitions.max(1) {
        let start = Instant::now();
        output = gpr.kirchhoff_migration2d(&data, height, width, dt_ns, dx, antenna_mhz);
        seconds.push(start.elapsed().as_secs_f64());
    }
    let mut file = std::fs::File::create(&args[9]).expect("cannot create the output");
    let out_bytes: Vec<u8> = output.iter().flat_map(|v| v.to_le_bytes()).collect();
    file.write_all(&out_bytes).expect("cannot write the output");
    let list: Vec<String> = seconds.iter().map(|s| format!("{:.6}", s)).collect();
    println!("{{\"threads\": {}, \"seconds\": [{}]}}", thread_count(), list.join(", "));
}
