(module
  ;; Nearest-row search for the soft word matching in src/nearest-row-search.ts.
  ;; Assembled into src/nearest-kernel-bytes.ts by scripts/build-kernel.mjs.
  ;; nearest(query, matrix, rows, stride, skip) -> index of the row with the largest dot
  ;; product with the query, ignoring row `skip`, or -1 when there is none; the dot product
  ;; itself is stored as an f32 at address 0. Rows are `stride` bytes apart, stride a
  ;; positive multiple of 16 (zero padded), all addresses 16-byte aligned.
  (memory (export "memory") 1)
  (func (export "nearest")
    (param $q i32) (param $m i32) (param $rows i32) (param $stride i32) (param $skip i32)
    (result i32)
    (local $row i32) (local $d i32) (local $acc v128) (local $dot f32) (local $best f32) (local $bestRow i32)
    (local.set $best (f32.const -inf))
    (local.set $bestRow (i32.const -1))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $d (i32.const 0))
        (loop $dimLoop
          (local.set $acc
            (f32x4.add (local.get $acc)
              (f32x4.mul (v128.load (i32.add (local.get $q) (local.get $d)))
                         (v128.load (i32.add (local.get $m) (local.get $d))))))
          (local.set $d (i32.add (local.get $d) (i32.const 16)))
          (br_if $dimLoop (i32.lt_u (local.get $d) (local.get $stride))))
        (local.set $dot
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (if (i32.and (f32.gt (local.get $dot) (local.get $best)) (i32.ne (local.get $row) (local.get $skip)))
          (then
            (local.set $best (local.get $dot))
            (local.set $bestRow (local.get $row))))
        (local.set $m (i32.add (local.get $m) (local.get $stride)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rowLoop)))
    (f32.store (i32.const 0) (local.get $best))
    (local.get $bestRow)))
