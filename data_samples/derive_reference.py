"""Derive the generator's reference tables from the real public data in ../shared/data/real.

Writes two small CSV files into ``workbench/samples/data/`` (committed, so the
installed package does not need ../shared at run time):

* ``gppd_china_coal_gas.csv`` — the 1,071 coal, gas and LNG plants of the WRI
  Global Power Plant Database China source table (CC BY 4.0, World Resources
  Institute), columns unchanged apart from selection.
* ``eia923_monthly_shapes.csv`` — monthly generation shapes (month / annual
  mean, clipped at 0) of US coal and gas plant-years with positive annual
  output, from US EIA Form 923 (public domain) joined to US EPA eGRID2021 unit
  fuels (public domain).  Used as realistic seasonal and outage patterns.

usage: python data_samples/derive_reference.py [SHARED_REAL_DIR]
"""

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
real = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "real"
out = ROOT / "workbench" / "samples" / "data"
out.mkdir(parents=True, exist_ok=True)

plants = pd.read_csv(real / "gppd_china_plants_wri.csv")
plants = plants[plants["fuel"].isin(["Coal", "Natural Gas", "LNG"])]
cols = ["wri_plant_id", "name", "fuel", "technology", "capacity_mw", "commissioning_year",
        "owner", "status", "location", "latitude", "longitude"]
plants[cols].to_csv(out / "gppd_china_coal_gas.csv", index=False)

units = pd.read_csv(real / "egrid2021_units.csv", low_memory=False, usecols=["orispl", "fuelu1"])
coal = {"BIT", "SUB", "LIG", "RC", "WC"}
fuel = (units.assign(kind=units["fuelu1"].map(lambda f: "coal" if f in coal else
                                               ("gas" if f == "NG" else None)))
        .dropna(subset=["kind"]).groupby("orispl")["kind"].agg(lambda s: s.mode().iat[0]))
gen = pd.read_csv(real / "eia923_monthly_plant_netgen_2009_2014.csv")
gen["kind"] = gen["plant_id_eia"].map(fuel)
gen = gen.dropna(subset=["kind"])
gen["mwh"] = gen["net_generation_mwh"].clip(lower=0)
wide = gen.pivot_table(index=["kind", "plant_id_eia", "year"], columns="month", values="mwh")
wide = wide.dropna()
wide = wide[wide.mean(axis=1) > 10_000]          # plants of utility scale only
shapes = wide.div(wide.mean(axis=1), axis=0).round(3)
shapes.columns = [f"m{m:02d}" for m in shapes.columns]
shapes.reset_index().to_csv(out / "eia923_monthly_shapes.csv", index=False)
print(len(plants), "plants;", shapes.groupby(level="kind").size().to_dict(), "shapes")
