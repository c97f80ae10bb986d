//! Criterion benchmarks of each stage on the management spec — reading the
//! YAML, overlay + 3.1 lowering + IR build, each emitter, the whole
//! `generate` in memory — and of the whole pipeline on synthetic specs of
//! 100, 1,000 and 10,000 operations (see `synth/mod.rs`), to show it scales
//! linearly. `cargo bench` runs them; BENCHMARKS.md records the figures.

mod synth;

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use tiergen::emit::{self, Target};
use tiergen::frontend::{self, Document, parse_document};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parsed(path: &Path, text: &str) -> Document {
    parse_document(path, text).unwrap_or_else(|e| panic!("{e}"))
}

fn management(c: &mut Criterion) {
    let spec_path = repo("spec/management.yaml");
    let overlay_path = repo("spec/management.overlay.yaml");
    let spec_text = read(&spec_path);
    let overlay_text = read(&overlay_path);
    let spec = parsed(&spec_path, &spec_text);
    let overlay = parsed(&overlay_path, &overlay_text);
    let api = frontend::build(spec.clone(), Some(&overlay)).unwrap_or_else(|e| panic!("{e}"));

    let mut group = c.benchmark_group("management");
    group.bench_function("parse yaml", |b| {
        b.iter(|| parsed(&spec_path, black_box(&spec_text)))
    });
    group.bench_function("overlay + lower + IR", |b| {
        b.iter(|| frontend::build(black_box(spec.clone()), Some(&overlay)))
    });
    for target in Target::ALL {
        group.bench_function(format!("emit {target}"), |b| {
            b.iter(|| emit::emit(black_box(&api), &[target]))
        });
    }
    group.bench_function("generate in memory", |b| {
        b.iter(|| {
            let spec = parsed(&spec_path, black_box(&spec_text));
            let overlay = parsed(&overlay_path, &overlay_text);
            let api = frontend::build(spec, Some(&overlay)).unwrap_or_else(|e| panic!("{e}"));
            emit::emit(&api, &Target::ALL)
        })
    });
    group.finish();
}

fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling");
    group.sample_size(10);
    let path = PathBuf::from("synthetic.json");
    for operations in [100, 1_000, 10_000] {
        let text = synth::spec_json(operations);
        group.throughput(Throughput::Elements(operations as u64));
        group.bench_with_input(
            BenchmarkId::new("generate in memory", operations),
            &text,
            |b, text| {
                b.iter(|| {
                    let api = frontend::build(parsed(&path, text), None)
                        .unwrap_or_else(|e| panic!("{e}"));
                    emit::emit(&api, &Target::ALL)
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, management, scaling);
criterion_main!(benches);
