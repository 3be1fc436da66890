// The parts of ECharts the pages use, registered once (tree-shaken build).
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { BarChart, GraphChart, PieChart, TreeChart, TreemapChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components'

use([CanvasRenderer, BarChart, PieChart, TreeChart, TreemapChart, GraphChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent])
